import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { parseAiProviders } from './config.ts';

const KEY = 'sk-very-secret-upstream-key-42';
const provider = (extra: Record<string, unknown> = {}) => ({
  id: 'vllm-fr',
  baseUrl: 'http://vllm.interne:8000/v1/',
  apiKey: KEY,
  models: [{ name: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', alias: 'mistral-small', kind: 'chat', contextWindow: 32768 }],
  jurisdiction: 'FR',
  maxClassification: 'diffusion-restreinte',
  ...extra,
});

const dir = mkdtempSync(path.join(tmpdir(), 'entente-ai-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function configProblems(aiProviders: unknown, env: Record<string, string> = {}): string[] {
  const file = path.join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ aiProviders }));
  try {
    loadConfig({ ENTENTE_CONFIG: file, ...env }, '/srv/entente');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('aiProviders configuration', () => {
  it('reads providers with their defaults; the key is a secret that never shows', () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(
      file,
      JSON.stringify({
        aiProviders: [provider(), provider({ id: 'ollama-qc', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined, jurisdiction: 'QC', maxClassification: 'non-protege', models: [{ name: 'bge-m3', kind: 'embeddings' }] })],
      }),
    );
    const config = loadConfig({ ENTENTE_CONFIG: file }, '/srv/entente');
    const [fr, qc] = config.ai.providers;
    expect(fr).toMatchObject({ id: 'vllm-fr', baseUrl: 'http://vllm.interne:8000/v1', jurisdiction: 'FR', maxClassification: 'diffusion-restreinte', timeoutMs: 60_000 });
    expect(fr?.models).toEqual([{ name: 'mistralai/Mistral-Small-3.1-24B-Instruct-2503', alias: 'mistral-small', kind: 'chat', contextWindow: 32768 }]);
    expect(fr?.apiKey?.reveal()).toBe(KEY);
    // The alias defaults to the upstream name; no key, no header.
    expect(qc).toMatchObject({ apiKey: null, models: [{ name: 'bge-m3', alias: 'bge-m3', kind: 'embeddings', contextWindow: null }] });
    // Logged or printed, the configuration does not carry the key (the raw list is not kept).
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 10 })).not.toContain(KEY);
    expect(config.file).not.toHaveProperty('aiProviders');
  });

  it('stops the start with problems naming the entry and the field, without echoing the key', () => {
    const problems = configProblems([provider(), provider({ id: 'bad', jurisdiction: 'US', timeoutMs: 'soon', apiKey: 12345 })]);
    expect(problems.some((p) => p.includes('aiProviders[1] "bad".jurisdiction'))).toBe(true);
    expect(problems.some((p) => p.includes('aiProviders[1] "bad".timeoutMs'))).toBe(true);
    expect(problems.some((p) => p.includes('aiProviders[1] "bad".apiKey'))).toBe(true);
    expect(problems.every((p) => p.startsWith('ENTENTE_CONFIG ('))).toBe(true);
    expect(problems.join('\n')).not.toContain('12345');
    expect(configProblems([provider({ models: [] })])[0]).toContain('aiProviders[0] "vllm-fr".models');
    expect(configProblems([provider({ unknown: true })])[0]).toContain('aiProviders[0] "vllm-fr"');
    expect(configProblems({ id: 'x' })[0]).toContain('aiProviders');
  });

  it('refuses duplicate ids, an alias twice in one provider, and one alias with two kinds', () => {
    const { problems } = parseAiProviders(
      [
        provider(),
        provider({ baseUrl: 'http://autre:8000/v1' }),
        provider({
          id: 'tei',
          models: [
            { name: 'a', alias: 'mistral-small', kind: 'embeddings' },
            { name: 'b', alias: 'dup', kind: 'chat' },
            { name: 'c', alias: 'dup', kind: 'chat' },
          ],
        }),
      ],
      { production: false },
    );
    expect(problems).toEqual([
      'aiProviders[1] "vllm-fr".id: duplicate provider id / identifiant en double',
      expect.stringContaining('aiProviders[2] "tei".models.0.kind: "mistral-small" is embeddings here but chat at aiProviders[0] "vllm-fr"'),
      expect.stringContaining('aiProviders[2] "tei".models.2.alias: "dup" twice'),
    ]);
    // Replicas: one alias served by two providers is the point.
    const replicas = parseAiProviders([provider(), provider({ id: 'vllm-fr-2', baseUrl: 'http://vllm2:8000/v1' })], { production: false });
    expect(replicas.problems).toEqual([]);
    expect(replicas.providers).toHaveLength(2);
  });

  it('wants an http(s) base URL without credentials; https in production except on loopback', () => {
    const one = (baseUrl: string, production = false) => parseAiProviders([provider({ baseUrl })], { production }).problems;
    expect(one('ftp://x/v1')[0]).toContain('baseUrl');
    expect(one('pas une url')[0]).toContain('baseUrl');
    const withCredentials = one('https://user:motdepasse@llm.example/v1');
    expect(withCredentials[0]).toContain('no credentials');
    expect(withCredentials[0]).not.toContain('motdepasse');
    expect(one('https://llm.example/v1?key=1')[0]).toContain('no query');
    expect(one('http://llm.interne/v1', true)[0]).toContain('https in production');
    expect(one('http://127.0.0.1:8000/v1', true)).toEqual([]);
    expect(one('https://albert.api.etalab.gouv.fr/v1', true)).toEqual([]);
  });

  it('has no provider when the file has none (the `npm start` default)', () => {
    expect(loadConfig({}, '/srv/entente').ai.providers).toEqual([]);
  });
});
