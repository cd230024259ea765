/**
 * Runs s3rver for a test, in its own process: `node --openssl-legacy-provider s3rver-child.ts
 * <folder> <bucket>`. s3rver encrypts its list continuation tokens with DES, which OpenSSL 3
 * only has in its legacy provider; the tests' own process stays on the default one. Prints
 * `{"port":N}` once listening; exits when its standard input closes (the test process ended).
 */
import { createRequire } from 'node:module';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => S3rverInstance;

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error('usage: s3rver-child.ts <folder> <bucket>');
  process.exit(2);
}
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.stdin.resume();
process.stdin.on('close', () => {
  void server.close().finally(() => process.exit(0));
});
