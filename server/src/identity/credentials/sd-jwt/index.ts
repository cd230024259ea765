/** SD-JWT VC and Token Status List format layer: see README.md in this folder. */
export { decodeSdJwt, type DecodedSdJwt } from './decode.ts';
export { type IssueSdJwtInput, issueSdJwt, SdJwtIssueError } from './issue.ts';
export { type PresentSdJwtOptions, presentSdJwt, SdJwtPresentError } from './present.ts';
export {
  type BitsPerStatus,
  createStatusList,
  credentialStatusOf,
  decodeStatusList,
  type EncodedStatusList,
  encodeStatusList,
  getStatus,
  setStatus,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  type StatusList,
  StatusListError,
} from './status-list.ts';
export { signStatusListToken, verifyStatusListToken, type StatusListTokenFailureReason } from './status-list-token.ts';
export * from './types.ts';
export { type CredentialStatusCheck, type VerifySdJwtOptions, type VerifySdJwtResult, verifySdJwtPresentation } from './verify.ts';
