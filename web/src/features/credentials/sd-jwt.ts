/**
 * The SD-JWT format layer the holder runs in the browser: the server's own files (jose and
 * WebCrypto only, see server/src/identity/credentials/sd-jwt/README.md), imported one by one so
 * that nothing of the status lists (node:zlib) comes into the bundle.
 */
export { decodeSdJwt, type DecodedSdJwt } from '@entente/server/src/identity/credentials/sd-jwt/decode.ts';
export { presentSdJwt, SdJwtPresentError } from '@entente/server/src/identity/credentials/sd-jwt/present.ts';
