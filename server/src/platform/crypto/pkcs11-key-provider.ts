import { randomBytes } from 'node:crypto';
import type * as Pkcs11 from 'pkcs11js';
import { uuidv7 } from '../ids.ts';
import { SecretValue } from '../secret-value.ts';
import { DecryptionError, KeyUnavailableError } from './errors.ts';
import type { KeyProvider, WrappedKey } from './key-provider.ts';
import { formatPkcs11Uri, type Pkcs11Location, parsePkcs11Uri } from './pkcs11-uri.ts';

type Pkcs11Module = typeof Pkcs11;
type Handle = Buffer;

export interface Pkcs11ProviderOptions {
  /** Where the token is: `pkcs11:…` (pkcs11-uri.ts) or its parsed form. */
  location: string | Pkcs11Location;
  /** The user PIN of the token. */
  pin: SecretValue | string;
  /** Generate a first KEK in the token when it holds none (default true; `doctor` passes false). */
  create?: boolean;
  /** How long the list of KEKs is trusted before `wrap` looks for a newer one (a rotation by another process); default 60 s. */
  refreshMs?: number;
  now?: () => number;
}

const LABEL_PREFIX = 'entente-kek-';
const LABEL = /^entente-kek-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const WRAP_FORMAT = 0x01;
const IV_SIZE = 12;
const TAG_SIZE = 16;
/**
 * Errors that mean "the session is gone" (token removed, HSM restarted): open a new one, read the
 * KEKs' handles again (object handles may not survive their session) and try once more.
 */
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_DEVICE_ERROR',
]);

/**
 * KEKs in a PKCS#11 token (a hardware security module, or SoftHSM for tests and small sites):
 * `ENTENTE_CELL_{FR,QC}_KEYS=pkcs11:token=<label>?module-path=<module.so>` with the PIN in
 * `ENTENTE_CELL_{FR,QC}_PKCS11_PIN`.
 *
 * - A KEK is an AES-256 secret key object generated inside the token (CKM_AES_KEY_GEN) as a token
 *   object, private, sensitive, not extractable, not modifiable or copyable, usable only to
 *   encrypt and decrypt; labelled `entente-kek-<uuidv7>` (CKA_ID: the UUID's 16 bytes). Its id
 *   here is `pkcs11:<label>`. The current KEK is the greatest label (UUID v7: the newest); a
 *   rotation generates a newer one and keeps the old ones to unwrap. A key with an Entente label
 *   that is extractable or not sensitive (imported by hand) is never used, and `check` says so.
 * - wrap = CKM_AES_GCM encryption in the token, 96-bit random IV, 128-bit tag, associated data
 *   `entente-key-wrap/v1 NUL <kekId> NUL <aad>` (as the file provider). Ciphertext format:
 *
 *       0x01 ‖ IV (12 bytes) ‖ encrypted data key ‖ tag (16 bytes)
 *
 *   which is plain AES-256-GCM: tested against Node's own implementation with an extractable
 *   test key, so wrapped keys do not depend on one vendor's library.
 * - One session, logged in as the user, per provider; calls are serialised on it (a PKCS#11
 *   session runs one operation at a time) and the cryptographic ones run on libuv's thread pool,
 *   so a slow network HSM does not stall the event loop. A lost session (HSM restart) is reopened
 *   once per call. `close()` logs out, closes the session, and finalises the module when no other
 *   provider of this process uses it.
 * - Each cell has its own token (the configuration refuses two cells on one token): a token is
 *   the security container of one jurisdiction's keys.
 */
export class Pkcs11KeyProvider implements KeyProvider {
  readonly location: Pkcs11Location;
  readonly #pkcs11: Pkcs11Module;
  readonly #module: LoadedModule;
  readonly #slot: Handle;
  readonly #pin: SecretValue;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #session: Handle | null = null;
  #keks = new Map<string, Handle>();
  #ignored: string[] = [];
  #current = '';
  #scannedAt = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #tokenDescription: string;

  private constructor(pkcs11: Pkcs11Module, module: LoadedModule, slot: Handle, location: Pkcs11Location, pin: SecretValue, options: Pkcs11ProviderOptions) {
    this.#pkcs11 = pkcs11;
    this.#module = module;
    this.#slot = slot;
    this.location = location;
    this.#pin = pin;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    const info = module.lib.C_GetTokenInfo(slot);
    this.#tokenDescription = `PKCS#11 token "${info.label.trim()}" (${info.manufacturerID.trim()} ${info.model.trim()}, serial ${info.serialNumber.trim()})`;
  }

  /**
   * Loads the module, finds the token, logs in and reads the KEKs, generating a first one when the
   * token has none and `create` is not false. Throws KeyUnavailableError with what is wrong (the
   * module, the token, the PIN: never the PIN itself).
   */
  static async open(options: Pkcs11ProviderOptions): Promise<Pkcs11KeyProvider> {
    const location = typeof options.location === 'string' ? parsePkcs11Uri(options.location) : options.location;
    const pin = typeof options.pin === 'string' ? new SecretValue(options.pin) : options.pin;
    const pkcs11 = (await import('pkcs11js')).default as unknown as Pkcs11Module;
    const module = acquireModule(pkcs11, location.modulePath);
    let provider: Pkcs11KeyProvider | null = null;
    try {
      const slot = findSlot(module.lib, location);
      const opened = new Pkcs11KeyProvider(pkcs11, module, slot, location, pin, options);
      provider = opened;
      await opened.#serialised(() => {
        opened.#openSession();
        opened.#scan();
      });
      if (opened.#keks.size === 0) {
        if (options.create === false) throw new KeyUnavailableError(`No Entente KEK (${LABEL_PREFIX}*) in ${opened.#tokenDescription}`);
        await opened.rotate();
      }
      return opened;
    } catch (err) {
      if (provider) await provider.close();
      else releaseModule(module);
      throw err;
    }
  }

  get id(): string {
    return this.#current;
  }

  /** Every KEK id the token holds (oldest first). */
  get kekIds(): string[] {
    return [...this.#keks.keys()].sort();
  }

  /** Generates a new KEK in the token; it becomes current here at once, elsewhere within `refreshMs`. */
  async rotate(): Promise<string> {
    return this.#serialised(async () => {
      const uuid = uuidv7();
      const label = `${LABEL_PREFIX}${uuid}`;
      const p = this.#pkcs11;
      await this.#withSession((session) =>
        this.#module.lib.C_GenerateKeyAsync(session, { mechanism: p.CKM_AES_KEY_GEN }, [
          { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
          { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
          { type: p.CKA_VALUE_LEN, value: 32 },
          { type: p.CKA_TOKEN, value: true },
          { type: p.CKA_PRIVATE, value: true },
          { type: p.CKA_SENSITIVE, value: true },
          { type: p.CKA_EXTRACTABLE, value: false },
          { type: p.CKA_MODIFIABLE, value: false },
          { type: p.CKA_COPYABLE, value: false },
          { type: p.CKA_ENCRYPT, value: true },
          { type: p.CKA_DECRYPT, value: true },
          { type: p.CKA_WRAP, value: false },
          { type: p.CKA_UNWRAP, value: false },
          { type: p.CKA_SIGN, value: false },
          { type: p.CKA_VERIFY, value: false },
          { type: p.CKA_DERIVE, value: false },
          { type: p.CKA_LABEL, value: label },
          { type: p.CKA_ID, value: Buffer.from(uuid.replaceAll('-', ''), 'hex') },
        ]),
      );
      this.#scan();
      return `pkcs11:${label}`;
    });
  }

  /** Reads the token's KEKs again (a rotation made by another process). */
  async reload(): Promise<void> {
    await this.#serialised(() => this.#scan());
  }

  async wrap(dataKey: Buffer, aad: string): Promise<WrappedKey> {
    if (dataKey.length === 0 || dataKey.length > 64) throw new RangeError('A data key is 1 to 64 bytes');
    return this.#serialised(async () => {
      if (this.#now() - this.#scannedAt > this.#refreshMs) this.#scan();
      const kekId = this.#current;
      const iv = randomBytes(IV_SIZE);
      const encrypted = await this.#withSession((session) => {
        this.#module.lib.C_EncryptInit(session, gcmMechanism(this.#pkcs11, iv, wrapAad(kekId, aad)), this.#handle(kekId));
        return this.#module.lib.C_EncryptAsync(session, dataKey, Buffer.alloc(dataKey.length + TAG_SIZE + 16));
      });
      return { kekId, ciphertext: Buffer.concat([Buffer.from([WRAP_FORMAT]), iv, encrypted]) };
    });
  }

  async unwrap(wrapped: WrappedKey, aad: string): Promise<Buffer> {
    return this.#serialised(async () => {
      if (!this.#keks.has(wrapped.kekId) && wrapped.kekId.startsWith(`pkcs11:${LABEL_PREFIX}`)) {
        this.#scan(); // perhaps generated by another process since
      }
      this.#handle(wrapped.kekId);
      const { ciphertext } = wrapped;
      if (ciphertext.length < 1 + IV_SIZE + 1 + TAG_SIZE || ciphertext[0] !== WRAP_FORMAT) {
        throw new DecryptionError('The wrapped key is malformed');
      }
      const iv = ciphertext.subarray(1, 1 + IV_SIZE);
      const body = ciphertext.subarray(1 + IV_SIZE);
      try {
        return Buffer.from(
          await this.#withSession((session) => {
            this.#module.lib.C_DecryptInit(session, gcmMechanism(this.#pkcs11, iv, wrapAad(wrapped.kekId, aad)), this.#handle(wrapped.kekId));
            return this.#module.lib.C_DecryptAsync(session, body, Buffer.alloc(body.length));
          }),
        );
      } catch (err) {
        if (err instanceof KeyUnavailableError) throw err;
        if (SESSION_LOST.has(ckr(err))) throw new KeyUnavailableError(`${this.#tokenDescription} is not reachable (${ckr(err)})`, { cause: err });
        // The token says only "failed" (SoftHSM: CKR_GENERAL_ERROR, others CKR_ENCRYPTED_DATA_INVALID).
        throw new DecryptionError('The wrapped key does not authenticate (wrong owner, KEK or tampered)', { cause: err });
      }
    });
  }

  async check(): Promise<{ ok: boolean; detail: string }> {
    try {
      const probe = randomBytes(32);
      const back = await this.unwrap(await this.wrap(probe, 'check'), 'check');
      if (!back.equals(probe)) throw new Error('round trip mismatch');
      const ignored = this.#ignored.length > 0 ? `; ${this.#ignored.length} key(s) with an Entente label ignored because extractable or not sensitive: ${this.#ignored.join(', ')}` : '';
      return {
        ok: this.#ignored.length === 0,
        detail: `${this.#tokenDescription} via ${this.location.modulePath}: current KEK ${this.#current}, ${this.#keks.size} KEK(s)${ignored}`,
      };
    } catch (err) {
      return { ok: false, detail: `${this.#tokenDescription} via ${this.location.modulePath}: ${(err as Error).message}` };
    }
  }

  /** Logs out, closes the session and releases the module; the provider cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#serialised(() => {
      this.#closed = true;
      this.#closeSession();
    }).catch(() => {});
    releaseModule(this.#module);
  }

  /** Runs `fn` after every call queued before it: one operation at a time on the session. */
  #serialised<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new KeyUnavailableError(`The PKCS#11 provider of ${this.#tokenDescription} is closed`);
      return fn();
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The handle of a KEK in the current session; KeyUnavailableError when the token has no such KEK. */
  #handle(kekId: string): Handle {
    const handle = this.#keks.get(kekId);
    if (!handle) throw new KeyUnavailableError(`The KEK ${kekId} is not in ${this.#tokenDescription}`);
    return handle;
  }

  /** Calls `fn` with the session; if the token lost it, opens a new one, reads the KEKs again and calls once more. */
  async #withSession<T>(fn: (session: Handle) => T | Promise<T>): Promise<T> {
    try {
      return await fn(this.#openSession());
    } catch (err) {
      if (!SESSION_LOST.has(ckr(err))) throw err;
      this.#closeSession();
      this.#scan();
      return fn(this.#openSession());
    }
  }

  #openSession(): Handle {
    if (this.#session) return this.#session;
    const lib = this.#module.lib;
    const p = this.#pkcs11;
    let session: Handle;
    try {
      session = lib.C_OpenSession(this.#slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    } catch (err) {
      throw new KeyUnavailableError(`Cannot open a session on ${this.#tokenDescription} (${ckr(err) || (err as Error).message})`, { cause: err });
    }
    try {
      lib.C_Login(session, p.CKU_USER, this.#pin.reveal());
    } catch (err) {
      // The login state belongs to the application and token, shared by its sessions: another
      // session of this process on the token (another provider, a tool) already logged in. The
      // configuration gives each cell its own token, so that is this provider's own earlier login.
      if (ckr(err) !== 'CKR_USER_ALREADY_LOGGED_IN') {
        try {
          lib.C_CloseSession(session);
        } catch {
          // already gone
        }
        throw new KeyUnavailableError(`The PIN of ${this.#tokenDescription} was refused (${ckr(err) || 'login failed'})`, { cause: err });
      }
    }
    this.#session = session;
    return session;
  }

  #closeSession(): void {
    const session = this.#session;
    this.#session = null;
    if (!session) return;
    try {
      this.#module.lib.C_Logout(session);
    } catch {
      // not logged in any more
    }
    try {
      this.#module.lib.C_CloseSession(session);
    } catch {
      // already closed by the token
    }
  }

  /** Lists the token's AES secret keys labelled entente-kek-<uuid>; the greatest usable label is current. */
  #scan(): void {
    const lib = this.#module.lib;
    const p = this.#pkcs11;
    const scanOnce = (session: Handle) => {
      const found: Handle[] = [];
      lib.C_FindObjectsInit(session, [
        { type: p.CKA_CLASS, value: p.CKO_SECRET_KEY },
        { type: p.CKA_KEY_TYPE, value: p.CKK_AES },
      ]);
      try {
        for (;;) {
          const batch = lib.C_FindObjects(session, 100);
          if (batch.length === 0) break;
          found.push(...batch);
        }
      } finally {
        lib.C_FindObjectsFinal(session);
      }
      const keks = new Map<string, Handle>();
      const ignored: string[] = [];
      for (const handle of found) {
        const [label, sensitive, extractable] = lib.C_GetAttributeValue(session, handle, [
          { type: p.CKA_LABEL },
          { type: p.CKA_SENSITIVE },
          { type: p.CKA_EXTRACTABLE },
        ]);
        const name = Buffer.isBuffer(label?.value) ? label.value.toString('utf8') : '';
        if (!LABEL.test(name)) continue;
        if (!isTrue(sensitive?.value) || isTrue(extractable?.value)) {
          ignored.push(name);
          continue;
        }
        keks.set(`pkcs11:${name}`, handle);
      }
      return { keks, ignored };
    };
    let result: ReturnType<typeof scanOnce>;
    try {
      result = scanOnce(this.#openSession());
    } catch (err) {
      if (!SESSION_LOST.has(ckr(err))) throw err;
      this.#closeSession();
      result = scanOnce(this.#openSession());
    }
    this.#keks = result.keks;
    this.#ignored = result.ignored.sort();
    this.#current = [...result.keks.keys()].sort().at(-1) ?? '';
    this.#scannedAt = this.#now();
  }

  /** For messages: where the keys are (no secret in it). */
  toString(): string {
    return `${this.#tokenDescription} (${formatPkcs11Uri(this.location)})`;
  }
}

/**
 * CKM_AES_GCM with a 96-bit IV and a 128-bit tag, in the PKCS#11 v2.40 CK_GCM_PARAMS layout
 * (with ulIvBits), the one current modules expect. Exported for the interoperability test.
 */
export function gcmMechanism(pkcs11: Pkcs11Module, iv: Buffer, aad: Buffer): Pkcs11.Mechanism {
  const parameter: Pkcs11.GcmParams = { type: pkcs11.CK_PARAMS_AES_GCM_v240, iv, ivBits: IV_SIZE * 8, aad, tagBits: TAG_SIZE * 8 };
  return { mechanism: pkcs11.CKM_AES_GCM, parameter };
}

export function wrapAad(kekId: string, aad: string): Buffer {
  return Buffer.from(`entente-key-wrap/v1\0${kekId}\0${aad}`, 'utf8');
}

/** The CKR_* name of a pkcs11js error, or ''. */
function ckr(err: unknown): string {
  const message = (err as Error | null)?.message ?? '';
  return /^CKR_[A-Z_]+/.exec(message)?.[0] ?? '';
}

function isTrue(value: unknown): boolean {
  if (Buffer.isBuffer(value)) return value.length > 0 && value[0] !== 0;
  return value === true;
}

/**
 * One loaded, initialised module per path and process, shared by the providers that use it (the
 * two cells may use the same library with different tokens): C_Initialize once, C_Finalize when
 * the last provider closes.
 */
interface LoadedModule {
  path: string;
  lib: Pkcs11.PKCS11;
  users: number;
  initialisedHere: boolean;
}
const loaded = new Map<string, LoadedModule>();

function acquireModule(pkcs11: Pkcs11Module, modulePath: string): LoadedModule {
  const existing = loaded.get(modulePath);
  if (existing) {
    existing.users++;
    return existing;
  }
  const lib = new pkcs11.PKCS11();
  try {
    lib.load(modulePath);
  } catch (err) {
    throw new KeyUnavailableError(`The PKCS#11 module ${modulePath} cannot be loaded (${(err as Error).message})`, { cause: err });
  }
  let initialisedHere = true;
  try {
    // OS locking: the two cells' providers may call the module from libuv's threads at once.
    lib.C_Initialize({ flags: pkcs11.CKF_OS_LOCKING_OK });
  } catch (err) {
    if (ckr(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      try {
        lib.close();
      } catch {
        // nothing more to release
      }
      throw new KeyUnavailableError(`The PKCS#11 module ${modulePath} does not initialise (${ckr(err) || (err as Error).message})`, { cause: err });
    }
    initialisedHere = false;
  }
  const module: LoadedModule = { path: modulePath, lib, users: 1, initialisedHere };
  loaded.set(modulePath, module);
  return module;
}

function releaseModule(module: LoadedModule): void {
  module.users--;
  if (module.users > 0) return;
  loaded.delete(module.path);
  try {
    if (module.initialisedHere) module.lib.C_Finalize();
    module.lib.close();
  } catch {
    // the process is ending or the module is gone: nothing to keep
  }
}

function findSlot(lib: Pkcs11.PKCS11, location: Pkcs11Location): Handle {
  const slots = lib.C_GetSlotList(true);
  const seen: string[] = [];
  for (const slot of slots) {
    const label = lib.C_GetTokenInfo(slot).label.trim();
    const id = slotNumber(slot);
    seen.push(`"${label}" (slot-id=${id})`);
    if (location.token !== null && label !== location.token) continue;
    if (location.slotId !== null && id !== location.slotId) continue;
    return slot;
  }
  const wanted = [location.token !== null ? `token "${location.token}"` : null, location.slotId !== null ? `slot-id ${location.slotId}` : null]
    .filter(Boolean)
    .join(' in ');
  throw new KeyUnavailableError(
    `No ${wanted} in the PKCS#11 module ${location.modulePath}; tokens present: ${seen.length > 0 ? seen.join(', ') : 'none'}`,
  );
}

/** A slot handle (a native CK_ULONG, little-endian on the platforms Node runs on) as a decimal string. */
function slotNumber(slot: Handle): string {
  let value = 0n;
  for (let i = slot.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(slot[i] as number);
  return value.toString();
}
