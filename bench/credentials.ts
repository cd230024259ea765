/**
 * Credentials throughput (issue 9, bench/credentials): `npm run bench -- credentials`.
 *
 *  - issuance: `issueSdJwt` of a public-agent attestation as Entente issues it (7 claims, 6
 *    selectively disclosable, a nested organisation, `cnf.jwk`, a status reference), ES256.
 *  - verification: `verifySdJwtPresentation` of presentations disclosing 2 claims with a
 *    key-binding JWT (nonce, audience, freshness, sd_hash), trust list lookup in memory, no
 *    status reference in the presented credentials (checking a status list is a cached, separate
 *    step; the OpenWallet verifier would fetch one per verification) — against the OpenWallet Foundation's `@sd-jwt/sd-jwt-vc` 0.19.0 verifier
 *    (test-only dependency; its crypto callbacks on node:crypto, as its own docs do) verifying
 *    **the same presentations in the same run** (ratio ours / theirs).
 *  - one core: a single-threaded loop in this process, operations one after another (each awaited),
 *    for `seconds` per case, cases alternating over `runs` rounds after a warm-up; operations per
 *    second of wall-clock time and of this process's CPU time (process.cpuUsage: on a shared machine
 *    the wall clock mostly measures the neighbours), median (min–max) of the rounds.
 *  - checked before measuring: every presentation verifies in both, with the same disclosed claims.
 */
import { createHash, createPublicKey, KeyObject, randomBytes, verify as nodeVerify } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { exportJWK, generateKeyPair } from 'jose';
import { issueSdJwt, presentSdJwt, verifySdJwtPresentation } from '../server/src/identity/credentials/sd-jwt/index.ts';
import { fixed, type Summary, summarise } from './support/stats.ts';
import { printTable } from './support/table.ts';

export interface CredentialsSettings {
  seconds: number;
  runs: number;
  presentations: number;
}
export const DEFAULT_CREDENTIALS: CredentialsSettings = { seconds: 3, runs: 3, presentations: 200 };

interface Case {
  name: string;
  perSecond: Summary;
  perCpuSecond: Summary;
}
export interface CredentialsResult {
  settings: CredentialsSettings;
  cases: Case[];
  ratioWall: number;
  ratioCpu: number;
}

const ISSUER = 'https://entente.example/issuers/fr';
const VCT = 'https://entente.example/credentials/types/public-agent';
const AUD = 'https://entente.example/verifier';

async function timed(seconds: number, op: (i: number) => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const end = performance.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() < end) {
    await op(n);
    n += 1;
  }
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall: n / wall, cpu: n / ((used.user + used.system) / 1e6) };
}

export async function credentialsBench(settings: CredentialsSettings): Promise<CredentialsResult> {
  const issuer = await generateKeyPair('ES256', { extractable: true });
  const holder = await generateKeyPair('ES256', { extractable: true });
  const holderJwk = await exportJWK(holder.publicKey);
  const now = Math.floor(Date.now() / 1000);
  const issue = (i: number, withStatus = true) =>
    issueSdJwt({
      claims: {
        public_agent: true,
        jurisdiction: 'FR',
        given_name: 'Camille',
        family_name: 'Martin',
        organisation: { name: 'Ministère de la Transformation numérique (démo)', identifier: '11000000100013', id: '019ac9f0-0000-7000-8000-00000000f001' },
        role: ['member', 'admin'],
        assurance_level: 'substantial',
      },
      disclosable: ['jurisdiction', 'given_name', 'family_name', 'organisation', 'organisation.identifier', 'role', 'assurance_level'],
      always: ['public_agent'],
      issuerKey: { key: issuer.privateKey, kid: 'fr-1' },
      alg: 'ES256',
      vct: VCT,
      iss: ISSUER,
      iat: now,
      nbf: now,
      exp: now + 90 * 86_400,
      cnf: { jwk: holderJwk },
      ...(withStatus ? { status: { status_list: { idx: i % 131_072, uri: 'https://entente.example/credentials/status/fr-1' } } } : {}),
    });

  const presentations: string[] = [];
  for (let i = 0; i < settings.presentations; i++) {
    presentations.push(await presentSdJwt(await issue(i, false), { disclose: ['jurisdiction', 'organisation.identifier'], holderKey: { key: holder.privateKey, alg: 'ES256' }, nonce: `n-${i}`, aud: AUD, iat: now }));
  }
  const ours = (i: number) => {
    const p = presentations[i % presentations.length]!;
    return verifySdJwtPresentation(p, {
      resolveIssuerKey: (iss, kid) => (iss === ISSUER && kid === 'fr-1' ? issuer.publicKey : null),
      requireKeyBinding: true,
      expectedNonce: `n-${i % presentations.length}`,
      expectedAud: AUD,
      now,
    });
  };
  const issuerKeyObject = KeyObject.from(issuer.publicKey);
  const owf = new SDJwtVcInstance({
    hasher: (data: string | ArrayBuffer) => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : Buffer.from(data)).digest()),
    hashAlg: 'sha-256',
    saltGenerator: (length: number) => randomBytes(length).toString('base64url'),
    verifier: (data: string, sig: string) => nodeVerify('sha256', Buffer.from(data), { key: issuerKeyObject, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url')),
    kbVerifier: (data: string, sig: string, payload: { cnf?: { jwk: object } }) => {
      if (!payload.cnf) return false;
      const key = createPublicKey({ key: payload.cnf.jwk as Record<string, string>, format: 'jwk' });
      return nodeVerify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
    },
  } as never);
  const theirs = (i: number) => owf.verify(presentations[i % presentations.length]!, { keyBindingNonce: `n-${i % presentations.length}`, currentDate: now } as never);

  // Both must accept every presentation, with the same disclosed claims, before anything is timed.
  for (let i = 0; i < presentations.length; i++) {
    const a = await ours(i);
    if (!a.ok) throw new Error(`our verifier refused presentation ${i}: ${a.reason}`);
    const b = (await theirs(i)) as { payload: Record<string, unknown> };
    if (b.payload.jurisdiction !== 'FR' || (b.payload.organisation as { identifier?: string })?.identifier !== '11000000100013' || a.claims.jurisdiction !== 'FR') {
      throw new Error(`the verifiers disagree on presentation ${i}`);
    }
  }

  const cases = { issuance: (i: number) => issue(i), 'verification (Entente)': ours, 'verification (@sd-jwt/sd-jwt-vc 0.19.0)': theirs } as const;
  for (const op of Object.values(cases)) await timed(0.5, op);
  const samples: Record<string, { wall: number[]; cpu: number[] }> = {};
  for (let round = 0; round < settings.runs; round++) {
    for (const [name, op] of Object.entries(cases)) {
      const r = await timed(settings.seconds, op);
      samples[name] ??= { wall: [], cpu: [] };
      samples[name].wall.push(r.wall);
      samples[name].cpu.push(r.cpu);
    }
  }
  const result = Object.entries(samples).map(([name, s]) => ({ name, perSecond: summarise(s.wall), perCpuSecond: summarise(s.cpu) }));
  const find = (prefix: string) => result.find((c) => c.name.startsWith(prefix))!;
  return {
    settings,
    cases: result,
    ratioWall: find('verification (Entente)').perSecond.median / find('verification (@sd').perSecond.median,
    ratioCpu: find('verification (Entente)').perCpuSecond.median / find('verification (@sd').perCpuSecond.median,
  };
}

export function printCredentials(result: CredentialsResult): void {
  const range = (s: Summary) => `${fixed(s.median, 0)} (${fixed(s.min, 0)}–${fixed(s.max, 0)})`;
  printTable(
    `Credentials on one core: operations per second, median (min–max) of ${result.settings.runs} rounds of ${result.settings.seconds} s`,
    ['operation', 'per second (wall)', 'per CPU second'],
    result.cases.map((c) => [c.name, range(c.perSecond), range(c.perCpuSecond)]),
  );
  console.log(`  verification, Entente / @sd-jwt/sd-jwt-vc on the same presentations: ${fixed(result.ratioWall, 2)} (wall), ${fixed(result.ratioCpu, 2)} (CPU)`);
}
