/**
 * Test support: the text a PDF made by render.ts shows, read back without a PDF library — the content streams'
 * `<glyph ids> Tj` operations mapped through the ToUnicode CMap of the font selected by the last `Tf`. Enough
 * for pdf-lib's output (Identity-H fonts, hex strings, Flate streams, object streams). It proves which
 * characters are drawn with real glyphs: `notdef` counts glyphs drawn as .notdef (a character the font lacks
 * shows as an empty box).
 */
import { inflateSync } from 'node:zlib';

type PdfObject = { dict: string; data: string | null };

/** Every object by number, top-level and inside object streams; stream data inflated (latin1). */
function objects(pdf: Buffer): Map<number, PdfObject> {
  const out = new Map<number, PdfObject>();
  const s = pdf.toString('latin1');
  for (const m of s.matchAll(/(\d+)\s+0\s+obj\b([\s\S]*?)endobj/g)) {
    const body = m[2];
    const at = body.search(/(?<!end)stream\r?\n/);
    if (at < 0) {
      out.set(Number(m[1]), { dict: body, data: null });
      continue;
    }
    const dict = body.slice(0, at);
    const start = m.index! + m[0].indexOf(body) + at + /stream\r?\n/.exec(body.slice(at))![0].length;
    const end = s.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    let data: string | null = null;
    try {
      data = /FlateDecode/.test(dict) ? inflateSync(raw).toString('latin1') : raw.toString('latin1');
    } catch {
      data = null;
    }
    out.set(Number(m[1]), { dict, data });
    if (data && /\/Type\s*\/ObjStm/.test(dict)) {
      const n = Number(/\/N\s+(\d+)/.exec(dict)![1]);
      const first = Number(/\/First\s+(\d+)/.exec(dict)![1]);
      const head = data.slice(0, first).trim().split(/\s+/).map(Number);
      for (let i = 0; i < n; i++) {
        const from = first + head[2 * i + 1];
        const to = i + 1 < n ? first + head[2 * i + 3] : data.length;
        out.set(head[2 * i], { dict: data.slice(from, to), data: null });
      }
    }
  }
  return out;
}

const hex = (h: string) => parseInt(h, 16);
function utf16(h: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= h.length; i += 4) units.push(hex(h.slice(i, i + 4)));
  return String.fromCharCode(...units);
}

function cmap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(hex(src), utf16(dst));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      for (let g = hex(lo), u = hex(dst); g <= hex(hi); g++, u++) map.set(g, String.fromCharCode(u));
    }
  }
  return map;
}

export function pdfText(pdf: Buffer): { text: string; notdef: number } {
  const objs = objects(pdf);
  // Font object number → its ToUnicode map; resource name → font object number.
  const maps = new Map<number, Map<number, string>>();
  for (const [num, o] of objs) {
    const ref = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(o.dict);
    const data = ref ? objs.get(Number(ref[1]))?.data : null;
    if (data) maps.set(num, cmap(data));
  }
  const resources = new Map<string, number>();
  for (const o of objs.values()) {
    for (const block of o.dict.matchAll(/\/Font\s*<<([^<>]*)>>/g)) {
      for (const [, name, num] of block[1].matchAll(/\/([^\s/]+)\s+(\d+)\s+0\s+R/g)) resources.set(name, Number(num));
    }
  }
  const lines: string[] = [];
  let notdef = 0;
  for (const o of objs.values()) {
    if (!o.data || !/\bTj\b/.test(o.data) || !/\bTf\b/.test(o.data)) continue;
    let map: Map<number, string> | undefined;
    for (const m of o.data.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1] !== undefined) {
        map = maps.get(resources.get(m[1]) ?? -1);
        continue;
      }
      let line = '';
      for (let i = 0; i + 4 <= m[2].length; i += 4) {
        const g = hex(m[2].slice(i, i + 4));
        if (g === 0) notdef++;
        line += map?.get(g) ?? '\uFFFD';
      }
      lines.push(line);
    }
  }
  return { text: lines.join('\n'), notdef };
}
