import { describe, expect, it } from 'vitest';
import { parseAiProviders } from '../providers/config.ts';
import { parseAiRetrieval } from './config.ts';
import { embeddingServiceActor, isEmbeddingServiceActor } from './service-actor.ts';
import { cosine, passageHash, vectorsOf } from './vectors.ts';

const providers = parseAiProviders(
  [
    {
      id: 'local',
      baseUrl: 'http://127.0.0.1:8000/v1',
      models: [
        { name: 'bge-m3', alias: 'embed', kind: 'embeddings' },
        { name: 'mistral', alias: 'chat', kind: 'chat' },
      ],
      jurisdiction: 'FR',
      maxClassification: 'non-protege',
    },
  ],
  { production: false },
).providers;

describe('aiRetrieval configuration', () => {
  it('is full text only when absent, and names an embeddings alias of aiProviders otherwise', () => {
    expect(parseAiRetrieval(undefined, providers)).toEqual({ config: { embeddingModel: null }, problems: [] });
    expect(parseAiRetrieval({ embeddingModel: 'embed' }, providers)).toEqual({ config: { embeddingModel: 'embed' }, problems: [] });
    expect(parseAiRetrieval({ embeddingModel: 'chat' }, providers).problems[0]).toMatch(/aiRetrieval.embeddingModel: "chat" is not an embeddings model/);
    expect(parseAiRetrieval({ embeddingModel: 'nope' }, providers).problems).toHaveLength(1);
    expect(parseAiRetrieval({ embeddingModel: 'embed', extra: 1 }, providers).problems).toHaveLength(1);
    expect(parseAiRetrieval('embed', providers).problems).toHaveLength(1);
  });
});

describe('vectors', () => {
  it('cosine: 1 for the same direction, 0 for orthogonal, mismatched or null vectors', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 0], [1, 0, 0])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([1, 0], [-1, 0])).toBeCloseTo(-1);
  });

  it('reads an OpenAI embeddings answer in input order, and refuses anything else', () => {
    const answer = { data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }] };
    expect(vectorsOf(answer, 2)).toEqual([[1, 0], [0, 1]]);
    expect(vectorsOf(answer, 3)).toBeNull();
    expect(vectorsOf({ data: [{ index: 0, embedding: [1, 'x'] }] }, 1)).toBeNull();
    expect(vectorsOf({ data: [{ index: 0, embedding: [1] }, { index: 1, embedding: [1, 2] }] }, 2)).toBeNull();
    expect(vectorsOf({ data: [{ index: 5, embedding: [1] }] }, 1)).toBeNull();
    expect(vectorsOf(null, 1)).toBeNull();
  });

  it('hashes what is embedded: the title and the passage', () => {
    expect(passageHash('Titre', 'texte')).toMatch(/^[0-9a-f]{64}$/);
    expect(passageHash('Titre', 'texte')).not.toBe(passageHash('Autre titre', 'texte'));
  });
});

describe('the service actor', () => {
  it('is recognised by identity only: a look-alike object is not it', () => {
    const actor = embeddingServiceActor('QC');
    expect(isEmbeddingServiceActor(actor)).toBe(true);
    expect(actor.homeJurisdiction).toBe('QC');
    expect(isEmbeddingServiceActor({ ...actor })).toBe(false);
  });
});
