import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

/** ENTENTE_CELL_{FR,QC}_OBJECTS=s3://…, _S3_*, _KEYS=pkcs11:…, _PKCS11_PIN. */
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/srv/entente');
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

const S3_QC = {
  ENTENTE_CELL_QC_OBJECTS: 's3://entente-qc/prod',
  ENTENTE_CELL_QC_S3_ENDPOINT: 'https://s3.qc.example.gouv.qc.ca/',
  ENTENTE_CELL_QC_S3_REGION: 'ca-east-1',
  ENTENTE_CELL_QC_S3_ACCESS_KEY_ID: 'AKIAQC',
  ENTENTE_CELL_QC_S3_SECRET_ACCESS_KEY: 'very-secret-access-key-4242',
  ENTENTE_CELL_QC_S3_FORCE_PATH_STYLE: 'true',
};
const HSM_QC = {
  ENTENTE_CELL_QC_KEYS: 'pkcs11:token=Entente%20QC?module-path=/usr/lib/softhsm/libsofthsm2.so',
  ENTENTE_CELL_QC_PKCS11_PIN: '86420-pin',
};
const PRODUCTION = {
  NODE_ENV: 'production',
  ENTENTE_PUBLIC_URL: 'https://entente.example.gouv.fr',
  ENTENTE_SECRET: 's'.repeat(40),
  ENTENTE_METRICS_TOKEN: 'm'.repeat(20),
};

describe('configuration of cell storage and keys', () => {
  it('keeps folders and key folders by default, with no S3 or PKCS#11 settings', () => {
    const config = loadConfig({}, '/srv/entente');
    expect(config.cells.FR).toMatchObject({ objects: '/srv/entente/data/cells/fr/objects', keys: 'file:/srv/entente/data/cells/fr/keys', s3: null, pkcs11: null });
  });

  it('reads an S3 bucket and a PKCS#11 token for a cell', () => {
    const config = loadConfig({ ...S3_QC, ...HSM_QC }, '/srv/entente');
    expect(config.cells.QC.objects).toBe('s3://entente-qc/prod');
    expect(config.cells.QC.s3).toMatchObject({
      bucket: 'entente-qc',
      prefix: 'prod/',
      endpoint: 'https://s3.qc.example.gouv.qc.ca',
      region: 'ca-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAQC' },
    });
    expect(config.cells.QC.s3?.credentials?.secretAccessKey.reveal()).toBe('very-secret-access-key-4242');
    expect(config.cells.QC.keys).toBe(HSM_QC.ENTENTE_CELL_QC_KEYS);
    expect(config.cells.QC.pkcs11).toMatchObject({ modulePath: '/usr/lib/softhsm/libsofthsm2.so', token: 'Entente QC', slotId: null });
    expect(config.cells.QC.pkcs11?.pin.reveal()).toBe('86420-pin');
    // The other cell is untouched.
    expect(config.cells.FR).toMatchObject({ s3: null, pkcs11: null });
  });

  it('never shows the S3 secret or the PIN: not in logs of the configuration, not in problems', () => {
    const config = loadConfig({ ...S3_QC, ...HSM_QC }, '/srv/entente');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), `${config.cells.QC.pkcs11?.pin}`]) {
      expect(shown).not.toContain('very-secret-access-key-4242');
      expect(shown).not.toContain('86420-pin');
    }
    const all = problems({ ...S3_QC, ...HSM_QC, ENTENTE_CELL_QC_S3_ACCESS_KEY_ID: '', PORT: 'x' }).join('\n');
    expect(all).toContain('ENTENTE_CELL_QC_S3_ACCESS_KEY_ID, ENTENTE_CELL_QC_S3_SECRET_ACCESS_KEY: both or neither');
    expect(all).not.toContain('very-secret-access-key-4242');
    const inUri = problems({ ENTENTE_CELL_QC_KEYS: 'pkcs11:token=a?module-path=/m.so&pin-value=135797531' }).join('\n');
    expect(inUri).toContain('ENTENTE_CELL_QC_KEYS: pin-value is not accepted');
    expect(inUri).not.toContain('135797531');
    const credentialsInUrl = problems({ ENTENTE_CELL_FR_OBJECTS: 's3://AKIA:topsecret-in-url@bucket/x' }).join('\n');
    expect(credentialsInUrl).toContain('ENTENTE_CELL_FR_OBJECTS');
    expect(credentialsInUrl).not.toContain('topsecret-in-url');
    const otherUrl = problems({ ENTENTE_CELL_FR_OBJECTS: 'https://user:pw-in-url@minio/x' }).join('\n');
    expect(otherUrl).toContain('ENTENTE_CELL_FR_OBJECTS: expected a folder or s3://');
    expect(otherUrl).not.toContain('pw-in-url');
  });

  it.each([
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://Bad_Bucket' }, 'ENTENTE_CELL_FR_OBJECTS: a bucket name'],
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://bucket/../x' }, 'ENTENTE_CELL_FR_OBJECTS: the prefix'],
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://bucket', ENTENTE_CELL_FR_S3_ENDPOINT: 'ftp://x' }, 'ENTENTE_CELL_FR_S3_ENDPOINT: expected an http(s) URL'],
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://bucket', ENTENTE_CELL_FR_S3_ENDPOINT: 'https://u:p@x' }, 'ENTENTE_CELL_FR_S3_ENDPOINT: expected an http(s) URL'],
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://bucket', ENTENTE_CELL_FR_S3_REGION: 'Europe West' }, 'ENTENTE_CELL_FR_S3_REGION'],
    [{ ENTENTE_CELL_FR_OBJECTS: 's3://bucket', ENTENTE_CELL_FR_S3_FORCE_PATH_STYLE: 'maybe' }, 'ENTENTE_CELL_FR_S3_FORCE_PATH_STYLE'],
    [{ ENTENTE_CELL_FR_S3_ENDPOINT: 'https://s3.example' }, 'ENTENTE_CELL_FR_S3_ENDPOINT: only used with ENTENTE_CELL_FR_OBJECTS=s3://'],
    [{ ENTENTE_CELL_FR_KEYS: 'vault:x' }, 'ENTENTE_CELL_FR_KEYS: expected file:<folder> or pkcs11:'],
    [{ ENTENTE_CELL_FR_KEYS: 'pkcs11:token=x?module-path=/m.so' }, 'ENTENTE_CELL_FR_PKCS11_PIN: required'],
    [{ ENTENTE_CELL_FR_KEYS: 'pkcs11:token=x', ENTENTE_CELL_FR_PKCS11_PIN: '1' }, 'ENTENTE_CELL_FR_KEYS: module-path is required'],
    [{ ENTENTE_CELL_FR_PKCS11_PIN: '1234' }, 'ENTENTE_CELL_FR_PKCS11_PIN: only used with ENTENTE_CELL_FR_KEYS=pkcs11:'],
  ])('names the variable: %j', (env, expected) => {
    expect(problems(env).join('\n')).toContain(expected);
  });

  it('gives each cell its own storage and its own token', () => {
    const token = 'pkcs11:token=shared?module-path=/m.so';
    expect(problems({ ENTENTE_CELL_FR_KEYS: token, ENTENTE_CELL_QC_KEYS: token, ENTENTE_CELL_FR_PKCS11_PIN: '1', ENTENTE_CELL_QC_PKCS11_PIN: '1' }).join()).toContain(
      'each cell needs its own PKCS#11 token',
    );
    expect(problems({ ENTENTE_CELL_FR_OBJECTS: 's3://ent-b/x', ENTENTE_CELL_QC_OBJECTS: 's3://ent-b/x/y' }).join()).toContain('would mix');
    expect(problems({ ENTENTE_CELL_FR_OBJECTS: 's3://ent-b', ENTENTE_CELL_QC_OBJECTS: 's3://ent-b/qc' }).join()).toContain('would mix');
    expect(problems({ ENTENTE_CELL_FR_OBJECTS: 's3://ent-b/fr', ENTENTE_CELL_QC_OBJECTS: 's3://ent-b/qc' })).toEqual([]);
    expect(problems({ ENTENTE_CELL_FR_OBJECTS: '/srv/o', ENTENTE_CELL_QC_OBJECTS: '/srv/o' }).join()).toContain('distinct folders');
    expect(problems({ ENTENTE_CELL_FR_KEYS: 'file:/k', ENTENTE_CELL_QC_KEYS: 'file:/k' }).join()).toContain('distinct key folders');
    const production = { ...PRODUCTION, ENTENTE_CELL_FR_OBJECTS: 's3://ent-b/fr', ENTENTE_CELL_QC_OBJECTS: 's3://ent-b/qc' };
    expect(problems(production).join()).toContain('each cell needs its own bucket');
  });

  it('wants https to the S3 service in production', () => {
    const http = problems({ ...PRODUCTION, ...S3_QC, ENTENTE_CELL_QC_S3_ENDPOINT: 'http://s3.internal:9000' });
    expect(http.join()).toContain('ENTENTE_CELL_QC_S3_ENDPOINT: must be https in production');
    expect(problems({ ...PRODUCTION, ...S3_QC })).toEqual([]);
  });
});
