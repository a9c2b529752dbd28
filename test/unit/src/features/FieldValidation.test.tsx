// Every limit the IPC contract puts on what staff type has a message at its field, said as they type — the same
// numbers (electron/ipc/limits.ts), which the contract itself is built from: a value one past a limit is refused
// by the contract's schema and explained at the field, never sent to come back as "Invalid input for …".
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { contract } from '../../../../electron/ipc/contract';
import { LIMITS } from '../../../../electron/ipc/limits';
import { CustomerForm } from '../../../../src/features/new-order/CustomerForm';
import { BulkShipDialog } from '../../../../src/features/orders/BulkShipDialog';
import { ChangePinDialog } from '../../../../src/features/shell/ChangePinDialog';
import { PhoneOrderSettings } from '../../../../src/features/settings/PhoneOrderSettings';
import { StaffAccounts } from '../../../../src/features/settings/StaffAccounts';
import { OrdersScreen } from '../../../../src/features/orders/OrdersScreen';
import { useCartStore } from '../../../../src/stores/cart-store';
import { useSessionStore } from '../../../../src/stores/session-store';
import { useSettingsStore } from '../../../../src/stores/settings-store';
import { installApi, useCleanStores } from '../fake-api';
import { info, manager, orderRow } from '../fixtures';

useCleanStores();

/** The message shown for a field (found by its label), or null. */
function messageAt(label: string | RegExp): string | null {
  const el = screen.getByLabelText(label);
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const errors = ids
    .map((id) => document.getElementById(id))
    .filter((n): n is HTMLElement => !!n && n.className.includes('field__error'));
  if (el.getAttribute('aria-invalid') !== 'true') return null;
  return errors.map((n) => n.textContent).join(' ') || null;
}

const over = (n: number) => 'x'.repeat(n + 1);
const customer = (c: Record<string, unknown>) =>
  contract['carts:update'].input.safeParse({ cartId: 'cart_1', customer: { name: 'Ann', ...c } }).success;

describe('customer fields', () => {
  function setup() {
    installApi({ 'customers:search': () => [] });
    useSessionStore.setState({ info: info(), status: 'ready' });
    render(<CustomerForm locked={false} />);
  }
  const type = (label: string | RegExp, value: string) =>
    act(() => {
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    });

  it('says a value is too long at the field as it is typed, for every limit the contract has', () => {
    setup();
    const cases: [string | RegExp, keyof typeof LIMITS, Record<string, unknown>][] = [
      ['Customer name', 'customerName', {}],
      ['Address line 1', 'addressLine', {}],
      ['Address line 2', 'addressLine', {}],
      ['City', 'city', {}],
      ['State', 'state', {}],
      ['ZIP code', 'postalCode', {}],
    ];
    for (const [label, limit] of cases) {
      type(label, over(LIMITS[limit]));
      expect(messageAt(label), String(label)).toBe(
        `At most ${LIMITS[limit].toLocaleString('en-US')} characters (this has ${(LIMITS[limit] + 1).toLocaleString('en-US')}).`,
      );
      type(label, 'ok');
    }
    // The contract refuses the same lengths.
    expect(customer({ name: over(LIMITS.customerName) })).toBe(false);
    expect(customer({ name: 'x'.repeat(LIMITS.customerName) })).toBe(true);
    const addr = { line1: '1 Road', city: 'X', postalCode: '97201', country: 'US' };
    expect(customer({ shipping: { ...addr, line1: over(LIMITS.addressLine) } })).toBe(false);
    expect(customer({ shipping: { ...addr, city: over(LIMITS.city) } })).toBe(false);
    expect(customer({ shipping: { ...addr, state: over(LIMITS.state) } })).toBe(false);
    expect(customer({ shipping: { ...addr, postalCode: over(LIMITS.postalCode) } })).toBe(false);
  });

  it('checks email and phone as the contract does, and says so at the field', () => {
    setup();
    const long = `${'a'.repeat(LIMITS.email - 11)}@example.com`;
    type('Email', long);
    expect(long.length).toBe(LIMITS.email + 1);
    expect(messageAt('Email')).toMatch(/^At most 254 characters/);
    expect(customer({ email: long })).toBe(false);
    type('Email', 'ann@');
    act(() => {
      fireEvent.blur(screen.getByLabelText('Email'));
    });
    expect(messageAt('Email')).toBe('This is not a complete email address (e.g. name@example.com).');
    expect(customer({ email: 'ann@' })).toBe(false);
    type('Email', 'ann@example.com');
    expect(messageAt('Email')).toBeNull();
    expect(customer({ email: 'ann@example.com' })).toBe(true);

    type('Phone', '5'.repeat(LIMITS.phone + 1));
    expect(messageAt('Phone')).toMatch(/^At most 40 characters/);
    expect(customer({ phone: '5'.repeat(LIMITS.phone + 1) })).toBe(false);
    type('Phone', 'call me');
    expect(messageAt('Phone')).toMatch(/^Use digits only/);
    type('Phone', '555 0100');
    act(() => {
      fireEvent.blur(screen.getByLabelText('Phone'));
    });
    expect(messageAt('Phone')).toBe(
      'This is not a complete US phone number. For another country, start with + and its code.',
    );
    type('Phone', '(555) 010-1234');
    expect(messageAt('Phone')).toBeNull();
    expect(screen.getByText('Saved as +1 555 010 1234')).toBeTruthy();
  });

  it('asks for what shipping needs once payment was tried, at each field; nothing when collected', () => {
    setup();
    act(() => useCartStore.setState({ attempted: true }));
    expect(messageAt('Customer name')).toBe('Add the customer’s name.');
    expect(messageAt('Address line 1')).toBe('Add the street address, or choose “Collected in person”.');
    expect(messageAt('City')).toBe('Add the town or city.');
    expect(messageAt('State')).toBe('Add the state.');
    expect(messageAt('ZIP code')).toBe('Add the ZIP code.');
    type('ZIP code', '9720');
    expect(messageAt('ZIP code')).toBe('This is not a ZIP code (e.g. 97201).');
    // Another country: its own words and rules.
    act(() => {
      fireEvent.change(screen.getByLabelText('Country'), { target: { value: 'CA' } });
    });
    expect(screen.getByLabelText('Province')).toBeTruthy();
    expect(messageAt('Postal code')).toBe('This is not a Postal code (e.g. K1A 0B1).');
    act(() => {
      fireEvent.click(screen.getByRole('radio', { name: 'Collected in person' }));
    });
    expect(screen.queryByLabelText('Address line 1')).toBeNull();
  });
});

describe('other fields with a contract limit', () => {
  it('a staff name over the limit, and a PIN that is not 4 to 8 digits', async () => {
    installApi({ 'users:list': () => [manager] });
    useSessionStore.setState({ info: info(), status: 'ready', user: manager });
    render(<StaffAccounts />);
    fireEvent.change(screen.getByLabelText('New account name'), { target: { value: over(LIMITS.userName) } });
    expect(messageAt('New account name')).toBe('At most 60 characters (this has 61).');
    expect(
      contract['users:create'].input.safeParse({
        name: over(LIMITS.userName),
        role: 'staff',
        pin: '1234',
        managerPin: '1234',
      }).success,
    ).toBe(false);
    fireEvent.change(screen.getByLabelText('New account PIN'), { target: { value: '12345' } });
    expect(messageAt('New account PIN')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    fireEvent.change(screen.getByLabelText('New account PIN'), { target: { value: '12' } });
    expect(messageAt('New account PIN')).toBe('The PIN is 4 to 8 digits.');
  });

  it('own PIN change: each PIN at its field', () => {
    installApi({});
    render(<ChangePinDialog onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Change PIN' }));
    expect(messageAt('Current PIN')).toBe('Your current PIN is 4 to 8 digits.');
    expect(messageAt('New PIN')).toBe('The new PIN is 4 to 8 digits.');
    fireEvent.change(screen.getByLabelText('New PIN'), { target: { value: '2468' } });
    fireEvent.change(screen.getByLabelText('New PIN again'), { target: { value: '2469' } });
    expect(messageAt('New PIN again')).toBe('The two new PINs are not the same.');
    expect(contract['auth:changePin'].input.safeParse({ currentPin: '12', newPin: '1234' }).success).toBe(
      false,
    );
  });

  it('tracking numbers and carriers in bulk shipping', () => {
    installApi({});
    render(
      <BulkShipDialog
        orders={[orderRow(1, { status: 'processing' }), orderRow(2, { status: 'processing' })]}
        skipped={[]}
        onClose={() => undefined}
        onDone={() => undefined}
      />,
    );
    fireEvent.change(screen.getByLabelText('Tracking number for order #A1001'), {
      target: { value: over(LIMITS.trackingNumber) },
    });
    expect(messageAt('Tracking number for order #A1001')).toBe('At most 60 characters.');
    fireEvent.change(screen.getByLabelText('Tracking number for order #A1001'), { target: { value: '1Z1' } });
    fireEvent.change(screen.getByLabelText('Tracking number for order #A1002'), { target: { value: '1Z1' } });
    expect(messageAt('Tracking number for order #A1002')).toBe(
      'This tracking number is on another order too.',
    );
    expect((screen.getByLabelText('Carrier for order #A1001') as HTMLInputElement).maxLength).toBe(
      LIMITS.carrier,
    );
    expect(
      contract['orders:advance'].input.safeParse({
        orderIds: ['ord_1'],
        to: 'shipped',
        shipments: [{ orderId: 'ord_1', carrier: 'UPS', trackingNumber: over(LIMITS.trackingNumber) }],
      }).success,
    ).toBe(false);
  });

  it('the secure link message', () => {
    installApi({});
    useSettingsStore.setState({
      settings: {
        mode: 'emulator',
        hasSecretKey: false,
        secretKeyHint: null,
        publishableKey: null,
        motoEnabled: false,
        webhook: { enabled: false, port: 4242, hasSecret: false },
        station: 'Front desk',
        stationCode: 'A',
        shop: 'demo',
        stations: [],
        stationCodeConflict: null,
        country: 'US',
        linkMessage: 'Pay here: {link}',
      },
    });
    render(<PhoneOrderSettings />);
    const label = 'Secure payment link message';
    fireEvent.change(screen.getByLabelText(label), {
      target: { value: `{link} ${over(LIMITS.linkMessage)}` },
    });
    expect(messageAt(label)).toMatch(/^At most 500 characters/);
    fireEvent.change(screen.getByLabelText(label), { target: { value: 'Pay here' } });
    expect(messageAt(label)).toBe('Put {link} where the link goes.');
    expect(
      contract['settings:update'].input.safeParse({ linkMessage: over(LIMITS.linkMessage) }).success,
    ).toBe(false);
  });

  it('the orders search takes no more than the contract allows', () => {
    installApi({ 'orders:list': () => ({ rows: [], total: 0 }) });
    useSessionStore.setState({ info: info(), status: 'ready', user: manager });
    render(<OrdersScreen />);
    expect((screen.getByRole('searchbox', { name: 'Search' }) as HTMLInputElement).maxLength).toBe(
      LIMITS.orderQuery,
    );
    expect(contract['orders:list'].input.safeParse({ query: over(LIMITS.orderQuery) }).success).toBe(false);
  });
});
