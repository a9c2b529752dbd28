// "Save diagnostics…": one text file a shop can send when something goes wrong — the versions, the machine,
// the Stripe mode, how the sync stands, the settings that shape behaviour, and the logs (already redacted
// when written; redacted again here, for logs from before). Never the database, the keychain file, the
// journal or a crash dump: those hold customers' details and are not needed to read a problem.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { redact } from './redact';

/** The most of each log file that goes in (its newest part). */
export const LOG_TAIL_BYTES = 512 * 1024;

export interface DiagnosticsInput {
  productName: string;
  version: string;
  versions: Record<string, string | undefined>;
  platform: string;
  arch: string;
  osRelease: string;
  packaged: boolean;
  mode: string | null;
  station: string | null;
  syncHealth: unknown;
  updateState: unknown;
  dataDir: string;
  logFiles: readonly string[];
  crashDumps: number;
  now: number;
}

function tail(path: string): string {
  try {
    const size = statSync(path).size;
    const text = readFileSync(path, 'utf8');
    if (size <= LOG_TAIL_BYTES) return text;
    return `[… ${size - LOG_TAIL_BYTES} earlier bytes left out …]\n${text.slice(-LOG_TAIL_BYTES)}`;
  } catch (e) {
    return `[could not be read: ${(e as Error).message}]`;
  }
}

export function diagnosticsText(d: DiagnosticsInput): string {
  const summary = {
    app: `${d.productName} ${d.version}${d.packaged ? '' : ' (not packaged)'}`,
    createdAt: new Date(d.now).toISOString(),
    os: `${d.platform} ${d.osRelease} ${d.arch}`,
    versions: d.versions,
    stripeMode: d.mode,
    station: d.station,
    sync: d.syncHealth,
    updates: d.updateState,
    dataFolder: d.dataDir,
    crashDumpsKept: d.crashDumps,
  };
  const parts = [
    `${d.productName} diagnostics — send this file to whoever looks after the console.`,
    'It holds no database, no keys and no card data; customers’ street addresses are removed.',
    '',
    '== Summary ==',
    redact(JSON.stringify(summary, null, 2)),
  ];
  for (const f of d.logFiles) {
    parts.push('', `== ${basename(f)} ==`, redact(tail(f)));
  }
  return `${parts.join('\n')}\n`;
}

export function diagnosticsFileName(now: number): string {
  const t = new Date(now).toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
  return `merchant-console-diagnostics-${t}.txt`;
}
