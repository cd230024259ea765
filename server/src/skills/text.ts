import { z } from 'zod';

/**
 * Text a database can keep and a screen can show: no NUL (PostgreSQL's text and jsonb refuse it),
 * no lone surrogate (not UTF-8), no other control character but tab and line breaks. Every free
 * text of the skills API goes through it, so such input is a 400 with a reason, never a 500.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !CONTROL.test(value);
}

export const storableText = (max: number) => z.string().max(max).refine(isStorableText, { message: 'control characters or invalid Unicode', params: { code: 'invalid_text' } });
