import { LocalObjectStore } from './local-object-store.ts';
import type { ObjectStore } from './object-store.ts';
import { parseS3Location } from './s3-location.ts';
import type { S3StoreOptions } from './s3-object-store.ts';

/** How to reach an S3-compatible service (config.ts: ENTENTE_CELL_{FR,QC}_S3_*). */
export type S3ConnectionOptions = Omit<S3StoreOptions, 'bucket' | 'prefix'>;

/**
 * The object store at `location`: `s3://bucket[/prefix]` (with `s3`, how to reach the service),
 * or a folder (created 0700 if missing). Nothing is sent to an S3 service here: `check()` says
 * whether it answers. The AWS SDK is loaded only when a cell uses S3 (it adds to every start).
 */
export async function openObjectStore(location: string, s3?: S3ConnectionOptions | null): Promise<ObjectStore> {
  if (location.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Location(location);
    const { S3ObjectStore } = await import('./s3-object-store.ts');
    return new S3ObjectStore({ ...(s3 ?? {}), bucket, prefix });
  }
  return LocalObjectStore.open(location);
}
