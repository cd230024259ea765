/** Base class of the key and encryption errors; `code` is stable (problem+json `type`, logs). */
export class CryptoError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Ciphertext that does not authenticate: tampered, truncated, reordered, from another stream, or
 * for another owner/object (AAD). Deliberately says nothing about which check failed.
 */
export class DecryptionError extends CryptoError {
  constructor(message = 'The data does not authenticate (tampered, truncated or for another owner)', options?: ErrorOptions) {
    super('decryption_failed', message, options);
  }
}

/** A key that should exist does not: an unknown KEK id, or a data key version missing from the keyring. */
export class KeyUnavailableError extends CryptoError {
  constructor(message: string, options?: ErrorOptions) {
    super('key_unavailable', message, options);
  }
}

/** A key file that must not be used as it is (readable by others, malformed); the message names the file and the fix. */
export class KeyFileError extends CryptoError {
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super('key_file_invalid', message, options);
    this.path = path;
  }
}
