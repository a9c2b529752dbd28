// The text of a PDF, read in plain Node (no PDF package): enough for a test to check that a printed document
// says what it should. Handles what Chromium's printer writes: Flate-compressed content streams, fonts with a
// ToUnicode CMap (bfchar and bfrange), text shown with Tj, TJ, ' and ". Text runs are joined in reading order
// of the content stream; a line break is inserted at each new text line.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+)\s+0\s+obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.search(/\bstream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0) {
      dict = body.slice(0, s);
      const dataStart = start + s + body.slice(s).indexOf('\n') + 1;
      const lengthMatch = /\/Length\s+(\d+)(?!\s+0\s+R)/.exec(dict);
      const dataEnd = lengthMatch ? dataStart + Number(lengthMatch[1]) : text.lastIndexOf('endstream', end);
      let raw = pdf.subarray(dataStart, dataEnd);
      if (/\/FlateDecode/.test(dict)) {
        try {
          raw = inflateSync(raw);
        } catch {
          raw = Buffer.alloc(0);
        }
      }
      stream = raw;
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** A ToUnicode CMap: code (hex, as in the content stream) → text. */
function cmap(src: string): { map: Map<string, string>; bytes: number } {
  const map = new Map<string, string>();
  const hexToText = (h: string) => {
    let s = '';
    for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  let bytes = 2;
  const range = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(src);
  if (range) bytes = range[1]!.length / 2;
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(p[1]!.toUpperCase(), hexToText(p[2]!));
  }
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const p of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g,
    )) {
      const lo = parseInt(p[1]!, 16);
      const hi = parseInt(p[2]!, 16);
      const width = p[1]!.length;
      if (p[3]!.startsWith('[')) {
        const list = [...p[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => hexToText(x[1]!));
        for (let c = lo; c <= hi; c++)
          map.set(c.toString(16).toUpperCase().padStart(width, '0'), list[c - lo] ?? '');
      } else {
        const base = parseInt(p[3]!.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++)
          map.set(c.toString(16).toUpperCase().padStart(width, '0'), String.fromCharCode(base + c - lo));
      }
    }
  }
  return { map, bytes };
}

function decodeString(token: string, font: { map: Map<string, string>; bytes: number } | undefined): string {
  let hex: string;
  if (token.startsWith('<')) hex = token.slice(1, -1).replace(/\s+/g, '');
  else {
    // A literal string: its bytes, with escapes.
    const body = token
      .slice(1, -1)
      .replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
        /^[0-7]/.test(e)
          ? String.fromCharCode(parseInt(e, 8))
          : (({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e),
      );
    hex = Buffer.from(body, 'latin1').toString('hex');
  }
  hex = hex.toUpperCase();
  if (!font) return Buffer.from(hex, 'hex').toString('latin1');
  let out = '';
  const step = font.bytes * 2;
  for (let i = 0; i + step <= hex.length; i += step) out += font.map.get(hex.slice(i, i + step)) ?? '';
  return out;
}

/** The text of every page, in order. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const fonts = new Map<number, { map: Map<string, string>; bytes: number }>();
  for (const [id, o] of objs) {
    if (!/\/Type\s*\/Font\b/.test(o.dict)) continue;
    const tu = ref(o.dict, 'ToUnicode');
    const cm = tu !== null ? objs.get(tu)?.stream : null;
    if (cm) fonts.set(id, cmap(cm.toString('latin1')));
  }
  const pages = [...objs.entries()].filter(([, o]) => /\/Type\s*\/Page\b/.test(o.dict));
  let text = '';
  for (const [, page] of pages) {
    // Font names of the page (resources inline or referenced).
    let resources = page.dict;
    const resRef = ref(page.dict, 'Resources');
    if (resRef !== null) resources = objs.get(resRef)?.dict ?? '';
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fontRef = /\/Font\s+(\d+)\s+0\s+R/.exec(resources);
    const names = new Map<string, number>();
    for (const f of (fontRef ? (objs.get(Number(fontRef[1]))?.dict ?? '') : fontDict).matchAll(
      /\/([^\s/<>[\]()]+)\s+(\d+)\s+0\s+R/g,
    ))
      names.set(f[1]!, Number(f[2]));
    const contents: number[] = [];
    const arr = /\/Contents\s*\[([^\]]*)\]/.exec(page.dict);
    if (arr) for (const c of arr[1]!.matchAll(/(\d+)\s+0\s+R/g)) contents.push(Number(c[1]));
    else {
      const one = ref(page.dict, 'Contents');
      if (one !== null) contents.push(one);
    }
    for (const c of contents) {
      const src = objs.get(c)?.stream?.toString('latin1') ?? '';
      let font: { map: Map<string, string>; bytes: number } | undefined;
      const tokens =
        src.match(/<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|\/[^\s/<>[\]()]+|-?\d*\.?\d+|[A-Za-z'"*]+/g) ??
        [];
      const stack: string[] = [];
      for (const t of tokens) {
        switch (t) {
          case 'Tf': {
            const name = stack[stack.length - 2]?.slice(1) ?? '';
            const id = names.get(name);
            font = id !== undefined ? fonts.get(id) : undefined;
            stack.length = 0;
            break;
          }
          case 'Tj':
          case "'":
          case '"': {
            const s = stack[stack.length - 1];
            if (t !== 'Tj') text += '\n';
            if (s) text += decodeString(s, font);
            stack.length = 0;
            break;
          }
          case 'TJ': {
            for (const s of stack) {
              if (s.startsWith('<') || s.startsWith('(')) text += decodeString(s, font);
              else if (/^-?\d/.test(s) && Number(s) < -200) text += ' ';
            }
            stack.length = 0;
            break;
          }
          case 'Td':
          case 'TD':
          case 'T*':
          case 'Tm':
          case 'ET':
            text += '\n';
            stack.length = 0;
            break;
          case '[':
          case ']':
            break;
          default:
            if (/^[A-Za-z*]+$/.test(t) && !t.startsWith('/')) stack.length = 0;
            else stack.push(t);
        }
      }
    }
    text += '\n\f\n';
  }
  return text;
}

/** The text with every kind of white space removed: "Order A1001" matches however the PDF spaced it. */
export const compact = (s: string): string => s.replace(/\s+/g, '');
