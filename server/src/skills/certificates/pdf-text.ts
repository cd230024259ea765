import { inflateSync } from 'node:zlib';

/**
 * For tests: the text of a PDF as pdfkit writes it (Flate-compressed content streams, embedded
 * font subsets whose glyph ids a ToUnicode CMap maps back to text), one string per text object
 * (BT … ET), page after page. Not a general PDF reader: enough to check what the certificate says.
 */
export function pdfText(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  for (const m of source.matchAll(/(\d+) 0 obj\s*/g)) {
    const start = m.index + m[0].length;
    const body = source.slice(start, source.indexOf('endobj', start));
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const dataStart = start + streamAt + (body.startsWith('stream\r\n', streamAt) ? 8 : 7);
    const raw = pdf.subarray(dataStart, dataStart + Number(/\/Length (\d+)/.exec(dict)?.[1]));
    objects.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  const ref = (text: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(text)?.[1]);
  const lines: string[] = [];
  const pages = [...objects.entries()].filter(([, o]) => /\/Type \/Page\b/.test(o.dict)).sort(([a], [b]) => a - b);
  for (const [, page] of pages) {
    const resources = objects.get(ref(page.dict, 'Resources'))?.dict ?? '';
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name = '', id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const cmap = objects.get(ref(objects.get(Number(id))?.dict ?? '', 'ToUnicode'))?.stream?.toString('latin1') ?? '';
      fonts.set(name, toUnicode(cmap));
    }
    const content = objects.get(ref(page.dict, 'Contents'))?.stream?.toString('latin1') ?? '';
    let font = new Map<number, string>();
    let line = '';
    for (const [, fontName, shown = '', op] of content.matchAll(/\/(F\d+) [\d.]+ Tf|(\[[^\]]*\]|<[0-9a-fA-F]*>) *(TJ|Tj)|\bET\b/g)) {
      if (fontName) font = fonts.get(fontName) ?? new Map();
      else if (op) {
        for (const [, hex = ''] of shown.matchAll(/<([0-9a-fA-F]*)>/g)) {
          for (let i = 0; i + 4 <= hex.length; i += 4) line += font.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
        }
      } else {
        lines.push(line);
        line = '';
      }
    }
  }
  return lines;
}

/** A ToUnicode CMap's bfchar and bfrange entries (pdfkit writes ranges with arrays). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (h: string) => Number.parseInt(h, 16);
  const utf16 = (h: string) => String.fromCharCode(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map(hex));
  for (const [, block = ''] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code = '', text = ''] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(hex(code), utf16(text));
  }
  for (const [, block = ''] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from = '', to = '', target = ''] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      if (target.startsWith('[')) {
        // An entry may hold several code units (<0066 0069>: the « fi » ligature).
        let code = hex(from);
        for (const [, text = ''] of target.matchAll(/<([0-9a-fA-F\s]+)>/g)) map.set(code++, utf16(text));
      } else {
        for (let code = hex(from); code <= hex(to); code++) map.set(code, String.fromCharCode(hex(target.slice(1, -1)) + code - hex(from)));
      }
    }
  }
  return map;
}
