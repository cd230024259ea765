/**
 * A strict XML 1.0 well-formedness and namespace checker for tests (no dependency): one root
 * element, balanced tags, well-formed attributes (quoted, unique per element), only the five
 * predefined entities and character references, no `<` or bare `&` in text, only characters XML
 * allows, and every element and attribute prefix declared in scope. Returns the problems found
 * (empty when the document is well-formed), with their offsets.
 */
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const REFERENCE = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const bad = BAD_CHAR.exec(text);
  if (bad) problems.push(`character U+${bad[0].charCodeAt(0).toString(16)} not allowed at ${bad.index}`);
  let i = 0;
  const stack: { name: string; ns: Map<string, string> }[] = [];
  let roots = 0;
  const scope = () => stack.at(-1)?.ns ?? new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);
  const checkText = (chunk: string, at: number) => {
    for (let j = chunk.indexOf('&'); j >= 0; j = chunk.indexOf('&', j + 1)) {
      if (!REFERENCE.test(chunk.slice(j))) problems.push(`bare & at ${at + j}`);
    }
    if (chunk.includes(']]>')) problems.push(`]]> in text at ${at}`);
  };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) return [...problems, 'unterminated XML declaration'];
    i = end + 2;
  }
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (stack.length === 0 && chunk.trim() !== '') problems.push(`text outside the root element at ${i}`);
    checkText(chunk, i);
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return [...problems, `unterminated comment at ${i}`];
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) return [...problems, `bad CDATA section at ${i}`];
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) return [...problems, `unterminated processing instruction at ${i}`];
      i = end + 2;
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) problems.push(`</${name}> at ${i} closes ${open ? `<${open.name}>` : 'nothing'}`);
      i = end + 1;
    } else {
      // A start tag: name, then attributes until > or />.
      let j = i + 1;
      const nameMatch = /^[^\s/>]+/.exec(text.slice(j));
      const name = nameMatch?.[0] ?? '';
      if (!NAME.test(name)) problems.push(`bad element name ${JSON.stringify(name)} at ${i}`);
      j += name.length;
      const attrs = new Map<string, string>();
      for (;;) {
        const ws = /^\s*/.exec(text.slice(j))?.[0] ?? '';
        j += ws.length;
        if (text.startsWith('/>', j) || text[j] === '>') break;
        if (ws === '') {
          problems.push(`attributes of <${name}> not separated at ${j}`);
          return problems;
        }
        const attr = /^([^\s=/>]+)\s*=\s*(["'])/.exec(text.slice(j));
        if (!attr) {
          problems.push(`malformed attribute in <${name}> at ${j}`);
          return problems;
        }
        const [whole, attrName = '', quote = '"'] = attr;
        if (!NAME.test(attrName)) problems.push(`bad attribute name ${attrName} at ${j}`);
        if (attrs.has(attrName)) problems.push(`duplicate attribute ${attrName} in <${name}> at ${j}`);
        const valueStart = j + whole.length;
        const valueEnd = text.indexOf(quote, valueStart);
        if (valueEnd < 0) return [...problems, `unterminated attribute value at ${j}`];
        const value = text.slice(valueStart, valueEnd);
        if (value.includes('<')) problems.push(`< in attribute value at ${valueStart}`);
        checkText(value, valueStart);
        attrs.set(attrName, value);
        j = valueEnd + 1;
      }
      const selfClosing = text.startsWith('/>', j);
      const ns = new Map(scope());
      for (const [a, v] of attrs) if (a.startsWith('xmlns:')) ns.set(a.slice(6), v);
      const prefixOf = (n: string) => (n.includes(':') ? n.slice(0, n.indexOf(':')) : null);
      const elementPrefix = prefixOf(name);
      if (elementPrefix && !ns.has(elementPrefix)) problems.push(`undeclared prefix ${elementPrefix}: on <${name}> at ${i}`);
      for (const a of attrs.keys()) {
        const p = prefixOf(a);
        if (p && p !== 'xmlns' && !ns.has(p)) problems.push(`undeclared prefix ${p}: on attribute ${a} of <${name}> at ${i}`);
      }
      if (stack.length === 0) {
        roots += 1;
        if (roots > 1) problems.push(`second root element <${name}> at ${i}`);
      }
      if (!selfClosing) stack.push({ name, ns });
      i = j + (selfClosing ? 2 : 1);
    }
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.map((s) => s.name).join('>, <')}>`);
  if (roots === 0) problems.push('no root element');
  return problems;
}
