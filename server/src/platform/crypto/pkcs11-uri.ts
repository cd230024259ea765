/**
 * `ENTENTE_CELL_{FR,QC}_KEYS=pkcs11:…`: which PKCS#11 token holds a cell's KEKs, in the form of
 * RFC 7512 PKCS#11 URIs (the form p11-kit, OpenSSL and GnuTLS read):
 *
 *     pkcs11:token=Entente%20QC?module-path=/usr/lib/softhsm/libsofthsm2.so
 *     pkcs11:slot-id=1667017097?module-path=/opt/hsm/lib/libcryptoki.so
 *
 * Path attributes (`;`-separated): `token` (the token's label) and/or `slot-id` (decimal); at
 * least one. Query attributes (`&`-separated): `module-path` (required, absolute). Values are
 * percent-decoded. The PIN is never in the URI (it would end up in process listings and shell
 * history): it comes from ENTENTE_CELL_{FR,QC}_PKCS11_PIN, so `pin-value` and `pin-source` are
 * refused, and so is any other attribute (a typo must not be ignored silently). KEKs are found in
 * the token by their label (`entente-kek-<uuidv7>`), so `object`, `id` and `type` have no use here.
 */
export interface Pkcs11Location {
  modulePath: string;
  /** The token's label (CK_TOKEN_INFO.label, without its padding). */
  token: string | null;
  /** The slot's id, as a decimal string (slot ids are CK_ULONG). */
  slotId: string | null;
}

/** Parses a `pkcs11:` URI; throws TypeError saying what is wrong (never quoting a PIN). */
export function parsePkcs11Uri(uri: string): Pkcs11Location {
  if (!uri.startsWith('pkcs11:')) throw new TypeError('a PKCS#11 URI starts with pkcs11:');
  const rest = uri.slice('pkcs11:'.length);
  const q = rest.indexOf('?');
  const pathPart = q === -1 ? rest : rest.slice(0, q);
  const queryPart = q === -1 ? '' : rest.slice(q + 1);
  const path = attributes(pathPart, ';');
  const query = attributes(queryPart, '&');
  for (const name of ['pin-value', 'pin-source']) {
    if (path.has(name) || query.has(name)) {
      throw new TypeError(`${name} is not accepted in the URI: give the PIN in ENTENTE_CELL_{FR,QC}_PKCS11_PIN`);
    }
  }
  for (const name of path.keys()) {
    if (name !== 'token' && name !== 'slot-id') throw new TypeError(`unsupported path attribute "${name}" (token and slot-id are)`);
  }
  for (const name of query.keys()) {
    if (name !== 'module-path') throw new TypeError(`unsupported query attribute "${name}" (module-path is)`);
  }
  const modulePath = query.get('module-path');
  if (!modulePath) throw new TypeError('module-path is required (?module-path=/path/to/the/pkcs11/module.so)');
  if (!modulePath.startsWith('/')) throw new TypeError('module-path must be an absolute path');
  const token = path.get('token') ?? null;
  const slotId = path.get('slot-id') ?? null;
  if (token === null && slotId === null) throw new TypeError('name the token (token=<label>) or its slot (slot-id=<number>)');
  if (token !== null && (token.length === 0 || token.length > 32)) throw new TypeError('a token label is 1 to 32 characters');
  if (slotId !== null && !/^\d{1,20}$/.test(slotId)) throw new TypeError('slot-id is a decimal number');
  return { modulePath, token, slotId };
}

/** The URI of a location (for messages and `doctor`; it holds no secret). */
export function formatPkcs11Uri(location: Pkcs11Location): string {
  const path = [
    ...(location.token !== null ? [`token=${encode(location.token)}`] : []),
    ...(location.slotId !== null ? [`slot-id=${location.slotId}`] : []),
  ].join(';');
  return `pkcs11:${path}?module-path=${encode(location.modulePath).replaceAll('%2F', '/')}`;
}

function attributes(part: string, separator: string): Map<string, string> {
  const out = new Map<string, string>();
  if (part === '') return out;
  for (const item of part.split(separator)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TypeError(`"${item.slice(0, 40)}" is not name=value`);
    const name = item.slice(0, eq).toLowerCase();
    if (out.has(name)) throw new TypeError(`the attribute ${name} is given twice`);
    let value: string;
    try {
      value = decodeURIComponent(item.slice(eq + 1));
    } catch {
      throw new TypeError(`the value of ${name} has a bad percent-encoding`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new TypeError(`the value of ${name} holds a control character`);
    out.set(name, value);
  }
  return out;
}

function encode(value: string): string {
  return encodeURIComponent(value);
}
