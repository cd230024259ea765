import { readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMAT_NAME, FORMAT_VERSION, MANIFEST_PATH, type Manifest, ManifestSchema } from './archive-format.ts';
import { ZipWriter } from './zip.ts';

/**
 * An archive being written: entries go into `<out>.partial-<pid>`, each one hashed as it streams;
 * `finish` adds manifest.json (every entry's size and SHA-256) last and renames the file into
 * place, so `<out>` exists only once complete. `abort` removes the partial file.
 */
export class ArchiveBuilder {
  readonly out: string;
  readonly #partial: string;
  readonly #zip: ZipWriter;
  readonly entries: Manifest['entries'] = [];

  private constructor(out: string, partial: string, zip: ZipWriter) {
    this.out = out;
    this.#partial = partial;
    this.#zip = zip;
  }

  static async create(out: string, createdAt: Date): Promise<ArchiveBuilder> {
    const target = path.resolve(out);
    const partial = `${target}.partial-${process.pid}`;
    await rm(partial, { force: true });
    const zip = await ZipWriter.create(partial, { modified: createdAt });
    return new ArchiveBuilder(target, partial, zip);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#zip.size;
  }

  async json(entryPath: string, value: unknown): Promise<void> {
    await this.bytes(entryPath, `${JSON.stringify(value, null, 2)}\n`, true);
  }

  async bytes(entryPath: string, body: Uint8Array | string, compress: boolean): Promise<{ sha256: string; size: number }> {
    const added = await this.#zip.add(entryPath, body, { compress });
    this.entries.push({ path: entryPath, size: added.size, sha256: added.sha256 });
    return added;
  }

  async stream(entryPath: string, body: AsyncIterable<Uint8Array>, options: { compress: boolean; declaredSize?: number }): Promise<{ sha256: string; size: number }> {
    const added = await this.#zip.add(entryPath, body, options);
    this.entries.push({ path: entryPath, size: added.size, sha256: added.sha256 });
    return added;
  }

  /** Writes the manifest (validated against the format first: we never write what we would refuse) and publishes the file. */
  async finish(manifest: Omit<Manifest, 'entries' | 'format' | 'version'>): Promise<Manifest> {
    const full: Manifest = ManifestSchema.parse({ format: FORMAT_NAME, version: FORMAT_VERSION, ...manifest, entries: this.entries });
    await this.#zip.add(MANIFEST_PATH, `${JSON.stringify(full, null, 2)}\n`, { compress: true });
    await this.#zip.finish();
    await rename(this.#partial, this.out);
    return full;
  }

  async abort(): Promise<void> {
    await this.#zip.abort();
    await rm(this.#partial, { force: true });
  }
}

let version: string | null = null;

/** The software version written in manifests (the root package.json's). */
export function softwareVersion(): string {
  if (version === null) {
    try {
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'package.json');
      version = String((JSON.parse(readFileSync(root, 'utf8')) as { version?: string }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
