import { describe, expect, it } from 'vitest';
import { acrValuesFor, demoUpstreams } from './upstream.ts';
import { safeReturnTo, upstreamForEmail } from './sign-in.ts';

describe('safeReturnTo (no open redirect after sign-in)', () => {
  it('keeps paths of this site and refuses everything else', () => {
    expect(safeReturnTo('/domaines/identite?x=1')).toBe('/domaines/identite?x=1');
    for (const bad of [undefined, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', `/${'a'.repeat(600)}`]) {
      expect(safeReturnTo(bad), String(bad)).toBe('/');
    }
  });
});

describe('routing by email and assurance levels', () => {
  const upstreams = demoUpstreams(new URL('http://localhost:3000'), 's'.repeat(32));
  it('routes by the email’s domain, subdomains included, and refuses others', () => {
    expect(upstreamForEmail(upstreams, 'Camille.Martin@NUMERIQUE.demo-gouv-fr.test').name).toBe('demo-fr');
    expect(upstreamForEmail(upstreams, 'a@equipe.mcn.demo-gouv-qc.test').name).toBe('demo-qc');
    expect(() => upstreamForEmail(upstreams, 'a@evil-mcn.demo-gouv-qc.test')).toThrow();
    expect(() => upstreamForEmail(upstreams, 'not an email')).toThrow();
  });
  it('asks for every upstream acr that meets the level, lowest first', () => {
    const fr = upstreams[0]!;
    expect(acrValuesFor(fr, 'low')).toEqual(['eidas1', 'eidas2', 'eidas3']);
    expect(acrValuesFor(fr, 'substantial')).toEqual(['eidas2', 'eidas3']);
    expect(acrValuesFor(fr, 'high')).toEqual(['eidas3']);
  });
});
