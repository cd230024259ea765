import { describe, expect, it } from 'vitest';
import { parseAiProviders } from '../providers/config.ts';
import { DEFAULT_AI_QUOTAS, parseAiQuotas } from './quotas-config.ts';

describe('aiQuotas configuration', () => {
  it('fills in the defaults for what is absent', () => {
    expect(parseAiQuotas(undefined)).toEqual({ quotas: DEFAULT_AI_QUOTAS, problems: [] });
    const { quotas, problems } = parseAiQuotas({ perAgent: { tokensPerDay: 5000 } });
    expect(problems).toEqual([]);
    expect(quotas.perAgent).toEqual({ ...DEFAULT_AI_QUOTAS.perAgent, tokensPerDay: 5000 });
    expect(quotas.perOrganisation).toEqual(DEFAULT_AI_QUOTAS.perOrganisation);
  });

  it('names the field of each mistake', () => {
    expect(parseAiQuotas({ perAgent: { tokensPerDay: 0 } }).problems[0]).toMatch(/^aiQuotas\.perAgent\.tokensPerDay: /);
    expect(parseAiQuotas({ perOrganisation: { requestsPerMinute: 1.5 } }).problems[0]).toMatch(/^aiQuotas\.perOrganisation\.requestsPerMinute: /);
    expect(parseAiQuotas({ perTeam: {} }).problems).toHaveLength(1);
    expect(parseAiQuotas('beaucoup').problems).toHaveLength(1);
  });
});

describe('footprint factors of aiProviders', () => {
  const provider = (extra: Record<string, unknown> = {}, model: Record<string, unknown> = {}) => ({
    id: 'vllm-fr',
    baseUrl: 'http://127.0.0.1:8000/v1',
    models: [{ name: 'm', kind: 'chat', ...model }],
    jurisdiction: 'FR',
    maxClassification: 'public',
    ...extra,
  });

  it('reads the per-model energy factor and the provider’s grid intensity, both optional', () => {
    const { providers, problems } = parseAiProviders([provider({ gco2ePerKwh: 30 }, { footprint: { whPer1kTokens: 0.4 } }), provider({ id: 'other' })], { production: false });
    expect(problems).toEqual([]);
    expect(providers[0]).toMatchObject({ gco2ePerKwh: 30, models: [{ whPer1kTokens: 0.4 }] });
    expect(providers[1]).not.toHaveProperty('gco2ePerKwh');
    expect(providers[1]?.models[0]).not.toHaveProperty('whPer1kTokens');
  });

  it('refuses negative factors and unknown footprint fields', () => {
    expect(parseAiProviders([provider({ gco2ePerKwh: -1 })], { production: false }).problems[0]).toMatch(/gco2ePerKwh/);
    expect(parseAiProviders([provider({}, { footprint: { whPer1kTokens: -2 } })], { production: false }).problems[0]).toMatch(/footprint\.whPer1kTokens/);
    expect(parseAiProviders([provider({}, { footprint: { kwh: 1 } })], { production: false }).problems).toHaveLength(1);
  });
});
