import { expect } from 'vitest';
import { Upload } from 'tus-js-client';
import { DEMO_AGENTS } from '../src/identity/demo-data.ts';
import { setEmailVerified } from '../src/identity/profiles.repo.ts';
import type { TestApp, TestSession } from './support/app.ts';

/**
 * What the files tests share: JSON calls as a signed-in agent, spaces with members, uploads with
 * the real tus-js-client (as the web app uses it), downloads.
 */
export type Agent = (typeof DEMO_AGENTS)[number];
export const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [Agent, Agent, Agent, Agent];

export class FilesClient {
  readonly t: TestApp;
  readonly sessions = new Map<string, TestSession>();

  constructor(t: TestApp) {
    this.t = t;
  }

  /** Signs every demo agent in; their addresses verified, so an invitation makes them members at once. */
  async signInAll(): Promise<void> {
    for (const agent of DEMO_AGENTS) {
      this.sessions.set(agent.id, await this.t.signIn(agent));
      await setEmailVerified(this.t.entente.stores.cells[agent.jurisdiction].db, agent.id, agent.email, true);
    }
  }

  session(agent: Agent): TestSession {
    const session = this.sessions.get(agent.id);
    if (!session) throw new Error(`no session for ${agent.givenName}`);
    return session;
  }

  // biome-ignore lint/suspicious/noExplicitAny: a test reads answers loosely and asserts on them
  async json(agent: Agent | null, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
    const response = await fetch(`${this.t.baseUrl}${url}`, {
      method,
      headers: { ...(agent ? this.session(agent).headers : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
  }

  /** A space owned by `owner`, with the others as members in the given roles. */
  async space(jurisdiction: 'FR' | 'QC', members: [Agent, string][] = [], owner: Agent = camille, minAssurance = 'low'): Promise<string> {
    const created = await this.json(owner, 'POST', '/api/spaces', { name: `Fichiers ${Math.random().toString(36).slice(2, 8)}`, jurisdiction, minAssurance, classification: 'internal' });
    expect(created.status).toBe(201);
    for (const [agent, role] of members) {
      const invited = await this.json(owner, 'POST', `/api/spaces/${created.body.id}/invitations`, { email: agent.email, role });
      expect(invited.body.member?.role).toBe(role);
    }
    return created.body.id as string;
  }

  async folder(agent: Agent, spaceId: string, name: string, parentId: string | null = null): Promise<string> {
    const created = await this.json(agent, 'POST', `/api/spaces/${spaceId}/folders`, { name, parentId });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  }

  /**
   * An upload through tus-js-client; resolves with the upload's URL once onSuccess fired, rejects
   * with the client's error (its `originalResponse` carries the server's answer).
   */
  upload(
    agent: Agent | null,
    bytes: Buffer,
    metadata: Record<string, string>,
    options: { chunkSize?: number; headers?: Record<string, string>; uploadUrl?: string; onChunk?: (upload: Upload, sent: number) => void; retryDelays?: number[] } = {},
  ): { upload: Upload; done: Promise<string> } {
    let upload: Upload | undefined;
    const done = new Promise<string>((resolve, reject) => {
      upload = new Upload(bytes, {
        endpoint: `${this.t.baseUrl}/api/uploads`,
        chunkSize: options.chunkSize ?? 64 * 1024,
        metadata,
        headers: { ...(agent ? this.session(agent).headers : {}), ...options.headers },
        retryDelays: options.retryDelays ?? [],
        storeFingerprintForResuming: false,
        ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
        onError: reject,
        onSuccess: () => resolve(upload?.url ?? ''),
        onChunkComplete: (_chunk, sent) => {
          if (upload) options.onChunk?.(upload, sent);
        },
      });
      upload.start();
    });
    return { upload: upload as Upload, done };
  }

  /** Uploads and returns the created file (the upload's JSON status). */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  async uploadFile(agent: Agent, spaceId: string, bytes: Buffer, filename: string, extra: Record<string, string> = {}, chunkSize?: number): Promise<Record<string, any>> {
    const url = await this.upload(agent, bytes, { spaceId, filename, ...extra }, chunkSize ? { chunkSize } : {}).done;
    const status = await this.json(agent, 'GET', new URL(url).pathname);
    expect(status.status).toBe(200);
    return status.body;
  }

  async download(agent: Agent | null, url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(`${this.t.baseUrl}${url}`, { headers: { ...(agent ? { cookie: this.session(agent).cookie } : {}), ...headers } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  /** A raw tus request (the protocol's corners that a well-behaved client never reaches). */
  async tus(agent: Agent | null, method: string, url: string, headers: Record<string, string> = {}, body?: Buffer): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(`${this.t.baseUrl}${url}`, {
      method,
      headers: { ...(agent ? this.session(agent).headers : {}), 'tus-resumable': '1.0.0', ...headers },
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }
}

/** `Upload-Metadata` as tus encodes it. */
export function metadataHeader(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

/** The server's answer to an upload that must be refused (fails the test if it went through). */
export function refused(done: Promise<string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return done.then(
    (url) => {
      throw new Error(`the upload was accepted: ${url}`);
    },
    tusFailure,
  );
}

/** The server's answer inside a tus-js-client error. */
export function tusFailure(error: unknown): { status: number; body: Record<string, unknown> } {
  const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } }).originalResponse;
  if (!response) throw error;
  const text = response.getBody();
  return { status: response.getStatus(), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
