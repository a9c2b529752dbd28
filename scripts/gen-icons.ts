// Renders resources/icon.svg (and the small and tray drawings) to the PNG sizes each platform needs with
// headless Chromium, and packs the Windows .ico and macOS .icns. The results are committed, so packaging
// needs none of this: run `npm run gen:icons` after changing a drawing.
//   resources/icon.png            1024 px (electron-builder's source; Linux AppImage/deb)
//   resources/icons/NxN.png       16…1024 (Linux icon set; 16–32 from icon-small.svg)
//   resources/icon.ico            16, 24, 32, 48, 64, 128, 256 (Windows: exe, installer, shortcuts)
//   resources/icon.icns           16…1024 incl. @2x (macOS)
//   resources/tray/…              the tray / menu bar icons
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { buildIcns, buildIco } from './lib/icon-containers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const res = join(root, 'resources');
const svg = (name: string) => readFileSync(join(res, name), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const SMALL = 32; // at this size and below, the simplified drawing

// Debian's Chromium when present (as the e2e tests use it), Playwright's own browser otherwise.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  ...(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
});
const page = await browser.newPage({ deviceScaleFactor: 1 });
async function render(source: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  const sized = source.replace(
    /<svg([^>]*?)width="\d+" height="\d+"/,
    `<svg$1width="${size}" height="${size}"`,
  );
  await page.setContent(
    `<!doctype html><html><head><style>html,body{margin:0;background:transparent}svg{display:block}</style></head><body>${sized}</body></html>`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

const full = svg('icon.svg');
const small = svg('icon-small.svg');
const pngs = new Map<number, Buffer>();
mkdirSync(join(res, 'icons'), { recursive: true });
for (const size of SIZES) {
  const png = await render(size <= SMALL ? small : full, size);
  pngs.set(size, png);
  writeFileSync(join(res, 'icons', `${size}x${size}.png`), png);
}
writeFileSync(join(res, 'icon.png'), pngs.get(1024)!);
writeFileSync(join(res, 'icon.ico'), buildIco([16, 24, 32, 48, 64, 128, 256].map((s) => pngs.get(s)!)));
writeFileSync(join(res, 'icon.icns'), buildIcns(pngs));

const tray = join(res, 'tray');
mkdirSync(tray, { recursive: true });
const template = svg('tray-template.svg');
writeFileSync(join(tray, 'trayTemplate.png'), await render(template, 16));
writeFileSync(join(tray, 'trayTemplate@2x.png'), await render(template, 32));
writeFileSync(join(tray, 'tray.png'), await render(small, 32));
writeFileSync(join(tray, 'tray@2x.png'), await render(small, 64));
await browser.close();
console.log(`icons written to ${res}`);
