// Printing from the desktop window, kept thin: the renderer lays out the print view (the documents, with the
// print stylesheet hiding the rest); main only asks Chromium to print the window or to render it as a PDF, and
// asks where to save that PDF. Browser mode has no Printer: the page calls window.print() itself.
import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { Printer } from '../../core/printing/print-documents';

export interface PrinterDeps {
  window: () => BrowserWindow | null;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** Where the save dialog starts (the user's Documents folder). */
  folder: () => string;
  writeFile: (path: string, data: Buffer) => Promise<void>;
}

export function electronPrinter(d: PrinterDeps): Printer {
  return {
    async print(action, filename) {
      const win = d.window();
      if (!win || win.isDestroyed()) return { done: false, path: null };
      if (action === 'print') {
        // The system's print dialog; resolves once the person printed or cancelled.
        const done = await new Promise<boolean>((resolve) =>
          win.webContents.print({ silent: false, printBackground: true }, (success) => resolve(success)),
        );
        return { done, path: null };
      }
      const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      const choice = await d.dialog.showSaveDialog(win, {
        title: 'Save as PDF',
        defaultPath: join(d.folder(), filename ?? 'document.pdf'),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      if (choice.canceled || !choice.filePath) return { done: false, path: null };
      await d.writeFile(choice.filePath, pdf);
      return { done: true, path: choice.filePath };
    },
  };
}
