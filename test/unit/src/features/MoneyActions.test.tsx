// Money actions in the renderer: the Who column says who did each action — a person and their station, the
// customer by the link a person sent, Stripe, Stripe's Dashboard — and "Not recorded" only for an earlier version's.
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MoneyAction } from '../../../../electron/ipc/contract';
import { MoneyActions } from '../../../../src/features/audit/MoneyActions';
import { installApi, useCleanStores } from '../fake-api';

useCleanStores();

const action = (over: Partial<MoneyAction>): MoneyAction => ({
  kind: 'charged_saved_card',
  at: Date.UTC(2026, 11, 3, 15),
  amount: 8900,
  currency: 'usd',
  orderId: 'ord_1',
  orderNumber: 'A1001',
  customerName: 'Lee Link',
  who: 'person',
  by: 'Morgan Manager',
  station: 'Packing',
  detail: null,
  ...over,
});

describe('MoneyActions', () => {
  it('names who did each action, or says truthfully that it was the customer, Stripe or the Dashboard', async () => {
    installApi({
      'audit:moneyActions': () => [
        action({ customerName: 'Pat Person' }),
        action({ customerName: 'Lee Link', who: 'customer', by: 'Sam Staff', station: 'Front desk' }),
        action({ kind: 'lapsed', customerName: 'Lou Lapsed', who: 'stripe', by: null, station: null }),
        action({ kind: 'refunded', customerName: 'Dot Dash', who: 'dashboard', by: null, station: null }),
        action({ kind: 'captured', customerName: 'Old Version', who: 'unrecorded', by: null, station: null }),
      ],
    });
    render(<MoneyActions />);
    const table = await screen.findByRole('region', { name: 'Money actions' });
    const who = (name: string) =>
      within(table)
        .getByRole('row', { name: new RegExp(name) })
        .querySelectorAll('td')[4]!.textContent;
    expect(who('Pat Person')).toBe('Morgan ManagerPacking');
    expect(who('Lee Link')).toBe('The customerby the link Sam Staff sentFront desk');
    expect(who('Lou Lapsed')).toBe('Stripe');
    expect(who('Dot Dash')).toBe('In Stripe’s Dashboardoutside the console');
    expect(who('Old Version')).toBe('Not recordedan earlier version of the console');
    // Only an action an earlier version left unnamed says "Not recorded".
    expect(within(table).getAllByText('Not recorded')).toHaveLength(1);
  });
});
