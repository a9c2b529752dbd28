// Desktop notifications from main — the only place they come from in Electron (the renderer's web
// Notification permission is denied, see security.ts), so each reminder shows once. They keep coming while
// the window is closed and the app runs in the tray/menu bar; clicking one brings the window back and
// focuses the hold it is about. Windows shows notifications only for an app with an AppUserModelID
// (app.setAppUserModelId(APP_ID) in index.ts, the installer's shortcut carries the same id).
import type { NotifyTarget } from '../core/ports';

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}
export type NotificationFactory = (options: {
  title: string;
  body: string;
  silent?: boolean;
}) => NotificationLike;

export interface DesktopNotifier {
  notify(title: string, body: string, target?: NotifyTarget): void;
  /** Notifications still on screen (kept referenced: a collected Notification loses its click handler). */
  readonly showing: number;
}

export function desktopNotifier(o: {
  create: NotificationFactory;
  isSupported: () => boolean;
  /** Clicked: show the window and, for a hold, focus it. */
  onClick: (target: NotifyTarget | undefined) => void;
  log: (message: string) => void;
}): DesktopNotifier {
  const live = new Set<NotificationLike>();
  return {
    notify(title, body, target) {
      if (!o.isSupported()) {
        o.log(`notification (not supported here): ${title} — ${body}`);
        return;
      }
      const n = o.create({ title, body });
      live.add(n);
      n.on('click', () => {
        live.delete(n);
        o.onClick(target);
      });
      n.on('close', () => live.delete(n));
      n.show();
    },
    get showing() {
      return live.size;
    },
  };
}
