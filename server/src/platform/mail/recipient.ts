import { InvalidRecipientError } from './errors.ts';

// One address, no display name, no list, no whitespace or control character (nothing that could
// add a recipient or a header). Deliverability is the SMTP server's business.
const ADDRESS = /^[^\s@<>()[\],;:"\\]{1,64}@[^\s@<>()[\],;:"\\]{1,253}$/;

export function assertRecipient(to: string): void {
  if (typeof to !== 'string' || to.length > 254 || !ADDRESS.test(to)) throw new InvalidRecipientError();
}
