// The clipboard and the hand-off of a link to another app, for the core's DesktopHandoff port: main's
// clipboard (the page's own navigator.clipboard is a permission away from failing) and shell.openExternal,
// each reporting whether it really happened — "Copy link" and "Email the link" record the link as sent only then.
import type { Clipboard, Shell } from 'electron';
import type { DesktopHandoff } from '../../core/ports';
import { isExternalLink } from '../security';

export function electronHandoff(
  clipboard: Pick<Clipboard, 'writeText' | 'readText'>,
  shell: Pick<Shell, 'openExternal'>,
  log: (message: string) => void = () => undefined,
): DesktopHandoff {
  return {
    copy(text) {
      try {
        clipboard.writeText(text);
        return clipboard.readText() === text;
      } catch (e) {
        log(`copying to the clipboard failed: ${(e as Error).message}`);
        return false;
      }
    },
    async openExternal(url) {
      if (!isExternalLink(url)) return false;
      try {
        await shell.openExternal(url);
        return true;
      } catch (e) {
        log(`no app took the ${new URL(url).protocol} link: ${(e as Error).message}`);
        return false;
      }
    },
  };
}
