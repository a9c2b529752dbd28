// The icons in resources/: every size each platform needs, and the ICO/ICNS containers packed correctly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ICNS_TYPES,
  buildIcns,
  buildIco,
  pngSize,
  readIcns,
  readIco,
} from '../../../../../scripts/lib/icon-containers';

const res = join(__dirname, '../../../../../resources');
const png = (w: number) => {
  // The smallest thing pngSize accepts: signature + IHDR header with the size.
  const b = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(w, 20);
  b.writeUInt8(w % 251, 32); // make each one's bytes differ
  return b;
};

describe('ICO and ICNS packing', () => {
  it('ICO: sorted entries, 256 written as 0, data at the offsets the entries say', () => {
    const ico = buildIco([png(256), png(16), png(48)]);
    expect(ico.readUInt16LE(4)).toBe(3);
    expect(ico.readUInt8(6 + 32)).toBe(0); // the third entry (256 px) stores 0
    const back = readIco(ico);
    expect(back.map((e) => e.width)).toEqual([16, 48, 256]);
    expect(back.map((e) => e.png.equals(png(e.width)))).toEqual([true, true, true]);
    expect(() => buildIco([png(512)])).toThrow(/at most 256/);
  });

  it('ICNS: big-endian lengths that add up, one element per type whose size is given', () => {
    const icns = buildIcns(new Map([16, 32, 1024].map((s) => [s, png(s)])));
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(readIcns(icns).map((e) => e.type)).toEqual(['icp4', 'icp5', 'ic11', 'ic10']);
    expect(() => buildIcns(new Map([[16, png(32)]]))).toThrow(/needs a 16 px PNG/);
  });
});

describe('resources/', () => {
  const LINUX = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

  it('has the Linux icon set, one PNG per size, each that size', () => {
    for (const s of LINUX) {
      const f = join(res, 'icons', `${s}x${s}.png`);
      expect(existsSync(f), f).toBe(true);
      expect(pngSize(readFileSync(f))).toEqual({ width: s, height: s });
    }
    expect(pngSize(readFileSync(join(res, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('has a Windows .ico with 16 to 256 px, the same images as the PNG set', () => {
    const entries = readIco(readFileSync(join(res, 'icon.ico')));
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) {
      expect(pngSize(e.png).width).toBe(e.width);
      expect(e.png.equals(readFileSync(join(res, 'icons', `${e.width}x${e.width}.png`)))).toBe(true);
    }
  });

  it('has a macOS .icns with every type from 16 px to 1024 px (512@2x)', () => {
    const elements = readIcns(readFileSync(join(res, 'icon.icns')));
    expect(elements.map((e) => e.type)).toEqual(ICNS_TYPES.map((t) => t.type));
    for (const e of elements) {
      expect(pngSize(e.png).width).toBe(ICNS_TYPES.find((t) => t.type === e.type)!.pixels);
    }
  });

  it('has the tray icons: a macOS template pair and a colour pair', () => {
    for (const [f, s] of [
      ['trayTemplate.png', 16],
      ['trayTemplate@2x.png', 32],
      ['tray.png', 32],
      ['tray@2x.png', 64],
    ] as const) {
      expect(pngSize(readFileSync(join(res, 'tray', f))).width, f).toBe(s);
    }
  });

  it('is a drawing, not a placeholder square: the large sizes carry real detail', () => {
    // A flat square compresses to a few hundred bytes at any size; the drawing does not.
    expect(readFileSync(join(res, 'icons', '256x256.png')).length).toBeGreaterThan(8_000);
    expect(readFileSync(join(res, 'icon.svg'), 'utf8')).toMatch(/<path[^>]+d="M/);
  });
});
