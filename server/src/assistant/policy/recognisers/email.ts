import type { Finding, Recogniser } from './recogniser.ts';

/**
 * E-mail addresses (courriels): a local part of letters, digits and ._%+- (no leading, trailing or
 * doubled dot, at most 64 characters), @, a domain of labels (letters, digits, inner hyphens, at most
 * 63 each) ending in an alphabetic top-level domain. Accented letters are accepted on both sides
 * (internationalised addresses). The key is the address in lower case.
 */
/** The domain, read forwards from just after the @ (sticky). */
const DOMAIN = /(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-]|\.[\p{L}\p{N}])/uy;
const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;

export function validateEmail(value: string): string | null {
  const at = value.lastIndexOf('@');
  if (at <= 0) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..') || local.length > 64) return null;
  if (domain.length > 253) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-'))) return null;
  if (!/^\p{L}{2,24}$/u.test(labels[labels.length - 1] as string)) return null;
  return value.toLowerCase();
}

export const emailRecogniser: Recogniser = {
  category: 'email',
  find(text: string): Finding[] {
    const findings: Finding[] = [];
    const domain = DOMAIN;
    // From each @, the local part backwards and the domain forwards: a pattern run from every
    // position of the text would read up to 64 characters ahead of each one.
    for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
      let start = at;
      while (start > 0 && at - start < 65 && LOCAL_CHAR.test(text[start - 1] as string)) start--;
      if (start === at || at - start > 64) continue;
      domain.lastIndex = at + 1;
      const match = domain.exec(text);
      if (!match) continue;
      const end = at + 1 + match[0].length;
      const key = validateEmail(text.slice(start, end));
      if (key !== null) findings.push({ category: 'email', start, end, key });
    }
    return findings;
  },
};
