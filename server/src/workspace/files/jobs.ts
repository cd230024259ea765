import type { JobRunner } from '../../platform/jobs/index.ts';
import type { FilesDeps } from './deps.ts';
import { processObjectDeletions, purgeTrash } from './files.ts';
import { expireUploads } from './uploads.ts';

/**
 * Background work of the files area, once per interval across all the nodes (the job queue):
 * the trash emptied of what has been there for 30 days, objects left to delete (files deleted
 * for good, writes a crash interrupted), expired uploads and their parts. Each step is
 * idempotent: a run cut short is finished by the next one.
 */
export const FILES_PURGE_JOB = 'workspace.files.purge';
export const FILES_PURGE_EVERY_MS = 3_600_000;
export const UPLOADS_EXPIRY_JOB = 'workspace.files.expire_uploads';
export const UPLOADS_EXPIRY_EVERY_MS = 15 * 60_000;

export function registerFileJobs(jobs: JobRunner, deps: FilesDeps): void {
  jobs.register(FILES_PURGE_JOB, async () => {
    await purgeTrash(deps);
    await processObjectDeletions(deps);
  });
  jobs.every(FILES_PURGE_JOB, FILES_PURGE_EVERY_MS);
  jobs.register(UPLOADS_EXPIRY_JOB, async () => {
    await expireUploads(deps);
  });
  jobs.every(UPLOADS_EXPIRY_JOB, UPLOADS_EXPIRY_EVERY_MS);
}
