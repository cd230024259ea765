import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { personalDataJsonSchema } from './schema.ts';

describe('personal data export format', () => {
  it('is documented in docs/personal-data-export.md with the schema the code uses', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../../../docs/personal-data-export.md'), 'utf8');
    const block = /<!-- personal-data-schema:start -->\s*```json\n([\s\S]*?)\n```\s*<!-- personal-data-schema:end -->/.exec(doc);
    expect(block, 'the schema block of the documentation').not.toBeNull();
    expect(JSON.parse(block?.[1] ?? '{}')).toEqual(personalDataJsonSchema());
  });

  it('refuses any field it does not declare, at every level', () => {
    const schema = personalDataJsonSchema() as { additionalProperties: boolean; properties: Record<string, { additionalProperties?: boolean }> };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.identity?.additionalProperties).toBe(false);
    expect(schema.properties.workspace?.additionalProperties).toBe(false);
  });
});
