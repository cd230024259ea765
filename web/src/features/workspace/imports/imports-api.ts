import { getJson, problemOf, type Problem } from '../../../app/api.ts';

/** The server's view of an import (server/src/workspace/imports/routes.ts). */
export interface ReportEntry {
  path: string;
  status: 'imported' | 'failed' | 'skipped';
  title?: string;
  documentId?: string;
  reason?: string;
  dropped?: Record<string, number>;
}

export interface ImportView {
  id: string;
  spaceId: string;
  parentId: string | null;
  fileName: string;
  status: 'converting' | 'creating' | 'done' | 'failed';
  total: number;
  processed: number;
  imported: number;
  failed: number;
  error: string | null;
  report: ReportEntry[];
}

/** The extensions the server imports (the picker's `accept`, and a check before sending). */
export const IMPORT_EXTENSIONS = ['.md', '.markdown', '.html', '.htm', '.docx', '.zip'] as const;

export const importable = (name: string) => IMPORT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

/**
 * Sends one file as an import, reporting the upload's progress (0–1). XMLHttpRequest rather than
 * fetch: only it tells how much of the body has gone. Rejects with the server's Problem.
 */
export async function startImport(spaceId: string, file: File, parentId: string | null, onProgress: (fraction: number) => void): Promise<ImportView> {
  const { csrfToken } = await getJson<{ csrfToken: string }>('/api/session');
  const query = new URLSearchParams({ name: file.name, ...(parentId ? { parentId } : {}) });
  return new Promise<ImportView>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/spaces/${encodeURIComponent(spaceId)}/imports?${query}`);
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
      if (xhr.status === 202) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as ImportView);
      } else {
        void problemOf(response).then((problem: Problem) => reject(problem));
      }
    };
    xhr.send(file);
  });
}

export const getImport = (id: string) => getJson<ImportView>(`/api/imports/${encodeURIComponent(id)}`);
