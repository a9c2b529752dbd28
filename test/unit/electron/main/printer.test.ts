// The desktop window's printing (electron/main/adapters/printer.ts) with Electron faked: print asks the system's
// dialog; "Save as PDF" renders the window with printToPDF and writes it where the person chose.
import { describe, expect, it } from 'vitest';
import type { BrowserWindow, Dialog } from 'electron';
import { electronPrinter } from '../../../../electron/main/adapters/printer';

function fakes(opts: { printed?: boolean; saveTo?: string | null } = {}) {
  const calls: string[] = [];
  const written: { path: string; data: Buffer }[] = [];
  const win = {
    isDestroyed: () => false,
    webContents: {
      print: (o: { silent: boolean }, cb: (ok: boolean) => void) => {
        calls.push(`print silent=${o.silent}`);
        cb(opts.printed ?? true);
      },
      printToPDF: async (o: { printBackground: boolean }) => {
        calls.push(`printToPDF background=${o.printBackground}`);
        return Buffer.from('%PDF-1.7 fake');
      },
    },
  } as unknown as BrowserWindow;
  const dialog = {
    showSaveDialog: async (_w: BrowserWindow, o: { defaultPath?: string }) => {
      calls.push(`save ${o.defaultPath}`);
      return opts.saveTo === null
        ? { canceled: true, filePath: '' }
        : { canceled: false, filePath: opts.saveTo ?? '/home/me/Documents/slip.pdf' };
    },
  } as unknown as Pick<Dialog, 'showSaveDialog'>;
  const printer = electronPrinter({
    window: () => win,
    dialog,
    folder: () => '/home/me/Documents',
    writeFile: async (path, data) => void written.push({ path, data }),
  });
  return { printer, calls, written };
}

describe('desktop printing', () => {
  it('prints the window through the system dialog and reports whether it printed', async () => {
    const { printer, calls } = fakes({ printed: false });
    expect(await printer.print('print', undefined)).toEqual({ done: false, path: null });
    expect(calls).toEqual(['print silent=false']);
  });

  it('saves the window as a PDF where the person chose, starting in Documents with the suggested name', async () => {
    const { printer, calls, written } = fakes();
    expect(await printer.print('pdf', 'packing-slip-A1001.pdf')).toEqual({
      done: true,
      path: '/home/me/Documents/slip.pdf',
    });
    expect(calls).toEqual(['printToPDF background=true', 'save /home/me/Documents/packing-slip-A1001.pdf']);
    expect(written[0]!.data.toString()).toMatch(/^%PDF/);
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    const { printer, written } = fakes({ saveTo: null });
    expect(await printer.print('pdf', 'x.pdf')).toEqual({ done: false, path: null });
    expect(written).toEqual([]);
  });
});
