import { describe, expect, it } from 'vitest';
import { auditTitle, detailText } from '../../../../src/features/orders/OrderDetailPane';

describe('order timeline words', () => {
  it('names audit actions in words', () => {
    expect(auditTitle('order.shipped')).toBe('Marked shipped');
    expect(auditTitle('hold.captured')).toBe('Hold captured');
    expect(auditTitle('something_new.done')).toBe('Something new done');
  });
  it('formats amounts in the order currency', () => {
    expect(detailText('{"amount":1890,"currency":"usd","paymentIntentId":"pi_1"}', 'usd')).toBe(
      'amount: $18.90 · currency: usd · payment intent id: pi_1',
    );
    expect(detailText('{"captured":500}', 'jpy')).toBe('captured: ¥500');
    expect(detailText('payment_intent.created', 'usd')).toBe('payment_intent.created');
    expect(detailText(null, 'usd')).toBeNull();
  });
});
