import { describe, expect, it } from 'vitest';
import { XmlDepthError, XmlDepthMeter } from './xml-depth.ts';

/** The deepest nesting of `xml`, fed to the meter in chunks of `size` bytes (markup split anywhere). */
function depthOf(xml: string, size = Number.POSITIVE_INFINITY, max = 1000): number {
  const bytes = Buffer.from(xml);
  const meter = new XmlDepthMeter(max);
  for (let i = 0; i < bytes.length; i += Math.min(size, bytes.length)) meter.push(bytes.subarray(i, i + size));
  return meter.deepest;
}

describe('XmlDepthMeter', () => {
  const cases: [string, string, number][] = [
    ['elements in elements', '<?xml version="1.0"?><a><b><c>x</c></b><b/></a>', 3],
    ['self-closing tags do not nest', '<a><b/><b/><b x="1"/><b></b></a>', 2],
    ['`>` and `/>` inside quoted values', '<a t="x>y" u=\'/>\'><b v="<c>"><c/></b></a>', 3],
    ['tags inside comments, CDATA and instructions do not count', '<a><!-- <b><c><d> --><![CDATA[<b><c><d>]]><?pi <b><c>?></a>', 1],
    ['comments with dashes and CDATA with brackets', '<a><!-- a -- b ---><![CDATA[ ]] ] ]]]><b/></a>', 2],
    ['multi-byte UTF-8 text', '<a><b>Québec – « ça »</b><b>日本</b></a>', 2],
  ];
  for (const [name, xml, depth] of cases) {
    it(`${name}: depth ${depth}, whatever the chunk boundaries`, () => {
      for (const size of [1, 2, 3, 7, 64, Number.POSITIVE_INFINITY]) expect(depthOf(xml, size), `chunks of ${size}`).toBe(depth);
    });
  }

  it('refuses a part nested deeper than its limit as soon as it gets there', () => {
    const meter = new XmlDepthMeter(256);
    meter.push(Buffer.from('<a>'.repeat(256)));
    expect(meter.deepest).toBe(256);
    expect(() => meter.push(Buffer.from('<a>'))).toThrow(XmlDepthError);
    expect(() => depthOf(`${'<w:sdt><w:sdtContent>'.repeat(5000)}`, 4096, 256)).toThrow(XmlDepthError);
    // Closed before going deeper: siblings never add up.
    expect(depthOf(`<r>${'<a><b/></a>'.repeat(10_000)}</r>`, 4096, 3)).toBe(3);
  });

  it('skips a document type declaration and its internal subset (no entity is counted or expanded)', () => {
    const svg = '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg><g><path d="M0 0"/></g></svg>';
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol>]"><!ENTITY lol2 \'&lol;<a><b>\'><!ELEMENT lolz (#PCDATA)>]><lolz>&lol2;</lolz>';
    for (const size of [1, 5, Number.POSITIVE_INFINITY]) {
      expect(depthOf(svg, size), `chunks of ${size}`).toBe(3);
      expect(depthOf(laughs, size), `chunks of ${size}`).toBe(1);
    }
  });
});
