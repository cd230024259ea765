import { type InvalidObjectKeyError, validateObjectKey } from './object-store.ts';

/**
 * `s3://bucket[/prefix]` locations (ENTENTE_CELL_{FR,QC}_OBJECTS). Apart from the S3 store so that
 * the configuration can validate a location without loading the AWS SDK.
 */

/** S3's bucket naming rules (virtual-host compatible): 3–63 of a-z, 0-9, '.', '-', alphanumeric at both ends. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket[/prefix]` → bucket and prefix (`''` or ending with `/`); throws TypeError with the reason. */
export function parseS3Location(location: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/?#@]+)(\/[^?#@]*)?$/.exec(location);
  if (!match) throw new TypeError('expected s3://bucket[/prefix], without credentials, query or fragment');
  const bucket = match[1] as string;
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new TypeError('a bucket name is 3 to 63 characters: a-z, 0-9, "." and "-", starting and ending with a letter or digit');
  }
  const rawPrefix = (match[2] ?? '').replace(/^\//, '');
  return { bucket, prefix: normaliseS3Prefix(rawPrefix) };
}

/** `''`, or valid key segments with a trailing `/` added; throws TypeError otherwise. */
export function normaliseS3Prefix(prefix: string): string {
  if (prefix === '') return '';
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  try {
    validateObjectKey(withSlash.slice(0, -1));
  } catch (err) {
    throw new TypeError(`the prefix is segments of a-z, 0-9, ".", "_", "-" separated by "/" (${(err as InvalidObjectKeyError).reason})`);
  }
  return withSlash;
}
