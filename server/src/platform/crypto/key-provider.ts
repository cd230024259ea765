/**
 * Where a cell's key-encryption keys (KEKs) live and how data keys are wrapped with them. The KEK
 * never leaves the provider: callers hand it a data key to wrap and get back an opaque ciphertext
 * tagged with the KEK's id, and later hand both back to unwrap. Implementations: `file:` (a folder
 * of key files, `file-key-provider.ts`) and `pkcs11:` (a token of an HSM, `pkcs11-key-provider.ts`);
 * `open-key-provider.ts` opens the one a cell's configuration names.
 *
 * KEK ids are explicit and stored beside every wrapped key, so that after a rotation the provider
 * still unwraps keys wrapped under an older KEK (which it keeps until they are all rewrapped), and
 * so that a provider can tell at once whether a wrapped key is its own. Ids start with the
 * provider's scheme (`file:…`, `pkcs11:…`).
 */
export interface KeyProvider {
  /** The id of the current KEK, the one `wrap` uses. */
  readonly id: string;

  /**
   * Encrypts a data key under the current KEK, bound to `aad` (the owner: unwrapping with
   * another aad fails). The result is safe to store in a database.
   */
  wrap(dataKey: Buffer, aad: string): Promise<WrappedKey>;

  /**
   * Decrypts a wrapped data key. Throws KeyUnavailableError when the KEK `wrapped.kekId` is not
   * held by this provider, DecryptionError when the ciphertext or the aad does not match.
   */
  unwrap(wrapped: WrappedKey, aad: string): Promise<Buffer>;

  /** Whether the provider can wrap and unwrap now, with a short detail (never key material). */
  check(): Promise<{ ok: boolean; detail: string }>;

  /**
   * Creates a new KEK, which becomes current (the old ones stay to unwrap); returns its id. Other
   * processes using the same keys start wrapping with it within their refresh interval (a minute).
   */
  rotate?(): Promise<string>;

  /** Every KEK id the provider holds, oldest first. */
  readonly kekIds?: readonly string[];

  /** Releases what the provider holds (an HSM session); it is not used afterwards. */
  close?(): Promise<void>;
}

/** A data key encrypted under a KEK: the KEK's id, and a ciphertext whose format is the provider's. */
export interface WrappedKey {
  kekId: string;
  ciphertext: Buffer;
}
