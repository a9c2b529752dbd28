// ICO (Windows) and ICNS (macOS) are simple containers of PNG images, so the icons in resources/ are packed
// here in plain Node — no ImageMagick or iconutil needed, on any machine.

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== signature || png.subarray(12, 16).toString('ascii') !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * ICO: a 6-byte header, one 16-byte entry per image, then the images (PNG-compressed entries, which
 * Windows Vista and later read, at every size up to 256; a width or height of 256 is written as 0).
 */
export function buildIco(pngs: Buffer[]): Buffer {
  const sorted = [...pngs].sort((a, b) => pngSize(a).width - pngSize(b).width);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(sorted.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * sorted.length;
  for (const png of sorted) {
    const { width, height } = pngSize(png);
    if (width > 256 || height > 256) throw new Error(`an ICO image can be at most 256 px, not ${width}`);
    const e = Buffer.alloc(16);
    e.writeUInt8(width === 256 ? 0 : width, 0);
    e.writeUInt8(height === 256 ? 0 : height, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3); // reserved
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    entries.push(e);
    offset += png.length;
  }
  return Buffer.concat([header, ...entries, ...sorted]);
}

export function readIco(ico: Buffer): { width: number; height: number; png: Buffer }[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  const n = ico.readUInt16LE(4);
  return Array.from({ length: n }, (_, i) => {
    const at = 6 + 16 * i;
    const size = ico.readUInt32LE(at + 8);
    const offset = ico.readUInt32LE(at + 12);
    return {
      width: ico.readUInt8(at) || 256,
      height: ico.readUInt8(at + 1) || 256,
      png: ico.subarray(offset, offset + size),
    };
  });
}

/** ICNS element types holding PNG data, by pixel size (the @2x types share sizes with the plain ones). */
export const ICNS_TYPES: { type: string; pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'ic11', pixels: 32 }, // 16@2x
  { type: 'icp6', pixels: 64 },
  { type: 'ic12', pixels: 64 }, // 32@2x
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic13', pixels: 256 }, // 128@2x
  { type: 'ic09', pixels: 512 },
  { type: 'ic14', pixels: 512 }, // 256@2x
  { type: 'ic10', pixels: 1024 }, // 512@2x
];

/** ICNS: 'icns' + total length, then (type, length incl. its 8-byte header, data) per element. */
export function buildIcns(pngBySize: Map<number, Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const { type, pixels } of ICNS_TYPES) {
    const png = pngBySize.get(pixels);
    if (!png) continue;
    if (pngSize(png).width !== pixels) throw new Error(`${type} needs a ${pixels} px PNG`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    parts.push(head, png);
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

export function readIcns(icns: Buffer): { type: string; png: Buffer }[] {
  if (icns.subarray(0, 4).toString('ascii') !== 'icns') throw new Error('not an ICNS');
  if (icns.readUInt32BE(4) !== icns.length) throw new Error('ICNS length does not match');
  const out: { type: string; png: Buffer }[] = [];
  for (let at = 8; at < icns.length;) {
    const type = icns.subarray(at, at + 4).toString('ascii');
    const len = icns.readUInt32BE(at + 4);
    out.push({ type, png: icns.subarray(at + 8, at + len) });
    at += len;
  }
  return out;
}
