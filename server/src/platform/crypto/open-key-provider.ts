import type { SecretValue } from '../secret-value.ts';
import { FileKeyProvider } from './file-key-provider.ts';
import type { KeyProvider } from './key-provider.ts';
import type { Pkcs11Location } from './pkcs11-uri.ts';

/**
 * The KEK provider a cell's configuration names (ENTENTE_CELL_{FR,QC}_KEYS): `file:<folder>`, or
 * `pkcs11:…` with the token's PIN. `create`: make a first KEK when there is none (the server
 * does; `doctor` does not). pkcs11js, a native addon, is loaded only when a cell uses PKCS#11.
 */
export async function openKeyProvider(
  location: string,
  options: { pkcs11?: (Pkcs11Location & { pin: SecretValue }) | null; create?: boolean } = {},
): Promise<KeyProvider> {
  if (location.startsWith('pkcs11:')) {
    if (!options.pkcs11) throw new TypeError('A pkcs11: location needs its token settings and PIN');
    const { Pkcs11KeyProvider } = await import('./pkcs11-key-provider.ts');
    const { pin, ...where } = options.pkcs11;
    return Pkcs11KeyProvider.open({ location: where, pin, create: options.create ?? true });
  }
  return FileKeyProvider.open(location, { create: options.create ?? true });
}
