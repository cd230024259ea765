import { inspect } from 'node:util';

/**
 * A secret read from the configuration (an S3 secret access key, an HSM PIN). The value sits in
 * a private field: JSON.stringify (pino), util.inspect, template strings and String() show
 * `[redacted]`, so logging the configuration object never leaks it. `reveal()` is called only
 * where the secret is handed to the library that needs it.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretValue [redacted]';
  }
}
