import { describe, expect, it } from 'vitest';
import { loggablePrompt, MAX_LOGGED_PROMPT_CHARS } from './content-log.ts';

/** The content log holds a bounded prompt (review fix, helper R1): a request may be 8 MiB of inline images. */
describe('loggablePrompt', () => {
  it('keeps a small prompt as it is', () => {
    const prompt = [{ role: 'user', content: 'Bonjour' }];
    expect(loggablePrompt(prompt)).toEqual({ prompt, truncated: false, chars: JSON.stringify(prompt).length });
  });

  it('replaces data: URLs, in image parts and inside text, by a marker', () => {
    const image = `data:image/png;base64,${'iVBORw0KGgo'.repeat(50_000)}`;
    const prompt = [
      {
        role: 'user',
        content: [
          { type: 'text', text: `Voir data:text/plain;base64,SGVsbG8= et la suite` },
          { type: 'image_url', image_url: { url: image } },
        ],
      },
    ];
    const logged = loggablePrompt(prompt);
    expect(logged.truncated).toBe(false);
    const json = JSON.stringify(logged.prompt);
    expect(json).not.toContain('base64,');
    expect(json).toContain(`[data: URL omitted, ${image.length} characters]`);
    expect(json).toContain('et la suite');
    expect(logged.chars).toBeLessThan(1000);
  });

  it('keeps only the beginning of a prompt past the cap', () => {
    const prompt = [{ role: 'user', content: 'mot '.repeat(200_000) }];
    const logged = loggablePrompt(prompt);
    expect(logged.truncated).toBe(true);
    expect(typeof logged.prompt).toBe('string');
    expect((logged.prompt as string).length).toBe(MAX_LOGGED_PROMPT_CHARS);
    expect(logged.prompt as string).toMatch(/^\[\{"role":"user","content":"mot mot/);
  });
});
