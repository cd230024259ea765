import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../../src/platform/objects/s3-object-store.ts';
import { TMP } from './db.ts';

export interface TestS3 {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** A bucket created at start. */
  bucket: string;
  /** s3rver's fixed credentials (it checks request signatures with them). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Where s3rver keeps the objects (one file per object, plus metadata). */
  directory: string;
  /** A client configured as the S3 store configures its own (path style, checksums when required). */
  client: S3Client;
  /** Environment for one cell: `ENTENTE_CELL_<J>_OBJECTS=s3://bucket/prefix` and its S3 variables. */
  cellEnv(jurisdiction: 'FR' | 'QC', prefix?: string): Record<string, string>;
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real S3 protocol server (s3rver) on a random loopback port, with its own folder, in a child
 * process (s3rver-child.ts says why). It predates the SDK's default checksums: clients set
 * requestChecksumCalculation/responseChecksumValidation to WHEN_REQUIRED (s3ClientConfig does).
 */
export async function startS3rver(bucket = 'entente-test'): Promise<TestS3> {
  mkdirSync(TMP, { recursive: true });
  const directory = mkdtempSync(path.join(TMP, 's3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(import.meta.dirname, 's3rver-child.ts'), directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  const client = new S3Client(s3ClientConfig({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, forcePathStyle: true }));
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    directory,
    client,
    cellEnv: (j, prefix = `cells/${j.toLowerCase()}`) => ({
      [`ENTENTE_CELL_${j}_OBJECTS`]: `s3://${bucket}/${prefix}`,
      [`ENTENTE_CELL_${j}_S3_ENDPOINT`]: endpoint,
      [`ENTENTE_CELL_${j}_S3_REGION`]: 'us-east-1',
      [`ENTENTE_CELL_${j}_S3_ACCESS_KEY_ID`]: accessKeyId,
      [`ENTENTE_CELL_${j}_S3_SECRET_ACCESS_KEY`]: secretAccessKey,
      [`ENTENTE_CELL_${j}_S3_FORCE_PATH_STYLE`]: 'true',
    }),
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    close: async () => {
      client.destroy();
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
