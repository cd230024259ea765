import { describe, expect, it } from 'vitest';
import { acrValuesFor, demoUpstreams } from './upstream.ts';
import { safeReturnTo, upstreamForEmail } from './sign-in.ts';

describe('safeReturnTo (no open redirect after sign-in)', () => {
  const site = new URL('https://entente.example/');
  it('keeps paths of this site, with their query and fragment', () => {
    expect(safeReturnTo('/domaines/identite?x=1', site)).toBe('/domaines/identite?x=1');
    expect(safeReturnTo('/compte#jetons', site)).toBe('/compte#jetons');
    expect(safeReturnTo('/oidc/auth/abc?level=substantial', new URL('https://entente.example/base/'))).toBe('/oidc/auth/abc?level=substantial');
    // Percent-encoded characters stay encoded: a browser does not decode them into a host.
    expect(safeReturnTo('/%09/evil.example', site)).toBe('/%09/evil.example');
    expect(safeReturnTo('/%2F%2Fevil.example', site)).toBe('/%2F%2Fevil.example');
    expect(safeReturnTo('/%5Cevil.example', site)).toBe('/%5Cevil.example');
  });

  it('refuses anything a browser could resolve to another site', () => {
    const attacks = [
      undefined,
      '',
      'https://evil.example',
      'evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\/evil.example',
      '/\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\t\t/evil.example',
      '\t//evil.example',
      ' //evil.example',
      '/ /evil.example',
      '/\u0000/evil.example',
      '/\u007f/evil.example',
      '/\u00a0/evil.example',
      '/\u3000/evil.example',
      '/\ufeff/evil.example',
      '/.//evil.example',
      '/..//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      'javascript:alert(1)',
      '/\\javascript:alert(1)',
      `/${'a'.repeat(600)}`,
    ];
    for (const bad of attacks) {
      const result = safeReturnTo(bad, site);
      expect(result, JSON.stringify(bad)).toBe('/');
    }
  });

  it('never returns a value a browser resolves outside the site (whatever the input)', () => {
    const pieces = ['/', '\\', '\t', '\n', '.', '..', '%2e', '%09', 'evil.example', '@', ':', '?', '#', ' '];
    const inputs: string[] = [];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) inputs.push(`/${a}${b}${c}evil.example`);
    for (const input of inputs) {
      const result = safeReturnTo(input, site);
      // What the browser does with the Location header: resolve it against the current page.
      expect(new URL(result, 'https://entente.example/connexion').origin, JSON.stringify(input)).toBe(site.origin);
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
