import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { GatewayError } from '../gateway/errors.ts';
import { ModelRouter } from '../gateway/router.ts';
import { parseAiProviders } from '../providers/config.ts';
import { DEFAULT_AI_POLICY, levelName, parseAiPolicy } from './classification-config.ts';
import { decide, documentsFromHeader, redactsFor } from './gateway-policy.ts';

const provider = (extra: Record<string, unknown> = {}) => ({
  id: 'vllm-fr',
  baseUrl: 'http://127.0.0.1:8000/v1',
  models: [{ name: 'm', alias: 'modele', kind: 'chat' }],
  jurisdiction: 'FR',
  maxClassification: 'diffusion-restreinte',
  ...extra,
});

const dir = mkdtempSync(path.join(tmpdir(), 'entente-ai-policy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function problems(file: Record<string, unknown>): string[] {
  const name = path.join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(name, JSON.stringify(file));
  try {
    loadConfig({ ENTENTE_CONFIG: name }, '/srv/entente');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

describe('aiPolicy configuration', () => {
  it('has a default scale named per jurisdiction', () => {
    expect(parseAiPolicy(undefined)).toEqual({ policy: DEFAULT_AI_POLICY, problems: [] });
    expect(levelName(DEFAULT_AI_POLICY, 'diffusion-restreinte', 'FR', 'fr-FR')).toBe('Diffusion restreinte');
    expect(levelName(DEFAULT_AI_POLICY, 'diffusion-restreinte', 'QC', 'fr-CA')).toBe('Confidentiel');
    expect(levelName(DEFAULT_AI_POLICY, 'diffusion-restreinte', 'QC', 'fr-FR')).toBe('Confidentiel');
    expect(levelName(DEFAULT_AI_POLICY, 'non-protege', 'QC', 'en')).toBe('Public');
  });

  it('stops the start when a provider’s maxClassification is not a level of the scale', () => {
    expect(problems({ aiProviders: [provider()] })).toEqual([]);
    expect(problems({ aiProviders: [provider({ maxClassification: 'public' })] }).join('\n')).toMatch(/"vllm-fr"\.maxClassification: "public" is not a level/);
    const custom = { levels: [{ id: 'public', names: { FR: { 'fr-FR': 'Public', en: 'Public' }, QC: { 'fr-CA': 'Public', en: 'Public' } } }] };
    expect(problems({ aiPolicy: custom, aiProviders: [provider({ maxClassification: 'public' })] })).toEqual([]);
    expect(problems({ aiPolicy: { ...custom, defaultLevel: 'secret' } }).join('\n')).toMatch(/aiPolicy\.defaultLevel/);
    expect(problems({ aiPolicy: { redactBelowTrust: 'total' } }).join('\n')).toMatch(/aiPolicy\.redactBelowTrust/);
    expect(problems({ aiPolicy: { levels: [...custom.levels, ...custom.levels] } }).join('\n')).toMatch(/duplicate level/);
  });
});

describe('gateway policy decision', () => {
  const { providers } = parseAiProviders(
    [
      provider({ id: 'fr-seul' }),
      provider({ id: 'qc-accord', jurisdiction: 'QC', allowedJurisdictions: ['FR'], maxClassification: 'non-protege', trust: 'sovereign' }),
    ],
    { production: false },
  );
  const entry = new ModelRouter(providers).lookup('modele')!;
  const label = (jurisdiction: 'FR' | 'QC', level: string) => ({ documentId: 'd', spaceId: 's', jurisdiction, level });

  it('keeps the replicas allowed for the jurisdiction and cleared for the level', () => {
    const ids = (admission: ReturnType<typeof decide>) => entry.replicas.filter((r) => !admission.excluded.has(r)).map((r) => r.provider.id);
    // FR content « non protégé »: both (the QC provider has a cross-border agreement for FR).
    expect(ids(decide(DEFAULT_AI_POLICY, [label('FR', 'non-protege')], entry, 'fr-FR', 'FR'))).toEqual(['fr-seul', 'qc-accord']);
    // FR « diffusion restreinte »: the QC provider is not cleared.
    expect(ids(decide(DEFAULT_AI_POLICY, [label('FR', 'diffusion-restreinte')], entry, 'fr-FR', 'FR'))).toEqual(['fr-seul']);
    // QC content: only the QC provider.
    expect(ids(decide(DEFAULT_AI_POLICY, [label('QC', 'non-protege')], entry, 'fr-FR', 'FR'))).toEqual(['qc-accord']);
  });

  it('refuses with the rule that failed, naming the level as the content’s jurisdiction does', () => {
    const refusal = (labels: ReturnType<typeof label>[]) => {
      try {
        decide(DEFAULT_AI_POLICY, labels, entry, 'fr-CA', 'FR');
      } catch (error) {
        return error as GatewayError;
      }
      throw new Error('not refused');
    };
    const classification = refusal([label('QC', 'diffusion-restreinte')]);
    expect(classification).toBeInstanceOf(GatewayError);
    expect(classification).toMatchObject({ status: 403, code: 'classification_refused', params: { level: 'Confidentiel', cleared: 'Public' } });
    // FR and QC documents in one request: every replica must be allowed for both.
    expect(refusal([label('FR', 'diffusion-restreinte'), label('QC', 'non-protege')]).code).toBe('classification_refused');
    const { providers: frOnly } = parseAiProviders([provider()], { production: false });
    expect(() => decide(DEFAULT_AI_POLICY, [label('QC', 'non-protege')], new ModelRouter(frOnly).lookup('modele')!, 'fr-CA', 'FR')).toThrow(
      expect.objectContaining({ code: 'jurisdiction_refused' }),
    );
  });

  it('pseudonymises for providers below the threshold only', () => {
    expect(redactsFor(DEFAULT_AI_POLICY, providers[0]!)).toBe(true);
    expect(redactsFor(DEFAULT_AI_POLICY, providers[1]!)).toBe(false);
    expect(redactsFor({ ...DEFAULT_AI_POLICY, redactBelowTrust: 'none' }, providers[0]!)).toBe(false);
  });

  it('reads X-Entente-Documents strictly', () => {
    const id = '0190a0b2-0000-7000-8000-000000000001';
    expect(documentsFromHeader(undefined)).toEqual([]);
    expect(documentsFromHeader(` ${id.toUpperCase()}, ${id}`)).toEqual([id]);
    expect(() => documentsFromHeader(`${id},../etc`)).toThrow(GatewayError);
    expect(() => documentsFromHeader(Array.from({ length: 21 }, () => id).join(','))).toThrow(GatewayError);
  });
});
