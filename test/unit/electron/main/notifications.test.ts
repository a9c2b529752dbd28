// One desktop notification per reminder, from main; clicking one shows the window and focuses the hold;
// events reach the console's window only; the renderer gets no notification permission of its own.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { desktopNotifier } from '../../../../electron/main/notifications';
import { mainWindowEvents } from '../../../../electron/main/main-window-events';
import { denyAllPermissions } from '../../../../electron/main/security';

class FakeNotification extends EventEmitter {
  shown = 0;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    this.shown++;
  }
}

function notifier(supported = true) {
  const created: FakeNotification[] = [];
  const clicks: unknown[] = [];
  const n = desktopNotifier({
    create: (o) => {
      const x = new FakeNotification(o);
      created.push(x);
      return x;
    },
    isSupported: () => supported,
    onClick: (t) => clicks.push(t),
    log: () => undefined,
  });
  return { n, created, clicks };
}

describe('desktopNotifier', () => {
  it('shows exactly one notification per reminder', () => {
    const { n, created } = notifier();
    n.notify('Hold expiring', 'Ada: about 4 hours', { kind: 'hold', paymentIntentId: 'pi_1' });
    expect(created.length).toBe(1);
    expect(created[0]!.shown).toBe(1);
    expect(created[0]!.options).toEqual({ title: 'Hold expiring', body: 'Ada: about 4 hours' });
  });

  it('clicking it hands the hold to focus', () => {
    const { n, created, clicks } = notifier();
    n.notify('Hold expiring', 'Ada', { kind: 'hold', paymentIntentId: 'pi_1' });
    created[0]!.emit('click');
    expect(clicks).toEqual([{ kind: 'hold', paymentIntentId: 'pi_1' }]);
  });

  it('keeps shown notifications referenced until clicked or closed (else the click handler is lost)', () => {
    const { n, created } = notifier();
    n.notify('a', 'b');
    n.notify('c', 'd');
    expect(n.showing).toBe(2);
    created[0]!.emit('close');
    created[1]!.emit('click');
    expect(n.showing).toBe(0);
  });

  it('where the system has no notifications, logs instead of throwing', () => {
    const { n, created } = notifier(false);
    n.notify('a', 'b');
    expect(created).toEqual([]);
  });
});

describe('events', () => {
  it('go to the main window only, and not to a destroyed one', () => {
    const sent: unknown[] = [];
    let destroyed = false;
    const wc = { isDestroyed: () => destroyed, send: (c: string, p: unknown) => sent.push([c, p]) };
    const sink = mainWindowEvents(() => wc);
    sink.emit('holds:changed', { paymentIntentIds: ['pi_1'] });
    destroyed = true;
    sink.emit('holds:changed', { paymentIntentIds: ['pi_2'] });
    expect(sent).toEqual([['holds:changed', { paymentIntentIds: ['pi_1'] }]]);
    expect(() => mainWindowEvents(() => null).emit('holds:focus', { paymentIntentId: 'pi_1' })).not.toThrow();
  });
});

describe('denyAllPermissions', () => {
  it('denies every permission request and every check — notifications included', () => {
    let request!: (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    let check!: (...a: unknown[]) => boolean;
    denyAllPermissions({
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
    } as never);
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      request(null, p, (ok) => (granted = ok));
      expect(granted, p).toBe(false);
      expect(check(null, p, 'file://', {}), p).toBe(false);
    }
  });
});
