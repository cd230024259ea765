/**
 * Who just signed in through a federation, and what that federation said of their address: for
 * other modules that act at sign-in (workspace matches waiting space invitations) without
 * identity knowing them. Listeners run after the session exists; one that fails is logged and
 * never blocks the sign-in.
 */
export interface SignedInEvent {
  principalId: string;
  /** As the federation asserted it, lower-cased. */
  email: string;
  /** The federation vouched for the address (its claim, or its configured `emailVerified`). */
  emailVerified: boolean;
  /** The address falls within the domains configured for that federation. */
  emailWithinUpstreamDomains: boolean;
  upstream: string;
  requestId: string;
}

export type SignedInListener = (event: SignedInEvent) => Promise<void> | void;

export class SignedInListeners {
  readonly #listeners: SignedInListener[] = [];
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  add(listener: SignedInListener): void {
    this.#listeners.push(listener);
  }

  async notify(event: SignedInEvent): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        await listener(event);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

/** Whether `email` is at one of the domains (or a subdomain of one): the rule sign-in applies. */
export function emailWithinDomains(email: string, domains: readonly string[]): boolean {
  const lower = email.toLowerCase();
  return domains.some((d) => lower.endsWith(`@${d.toLowerCase()}`) || lower.endsWith(`.${d.toLowerCase()}`));
}

/**
 * Whether lower-casing turns a non-ASCII character of the address into ASCII (U+212A KELVIN SIGN
 * becomes "k"): such an address would then match an invitation or a waiting profile meant for
 * the ASCII address, which is another mailbox. Found in review; sign-in treats it as not vouched for.
 */
export function foldsIntoAscii(address: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is meant
  const nonAscii = /[^\u0000-\u007f]/u;
  return [...address].some((c) => nonAscii.test(c) && !nonAscii.test(c.toLowerCase()));
}
