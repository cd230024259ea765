/**
 * RFC 9901 Appendix A examples, verbatim (line breaks removed), signed with the RFC's example
 * issuer key (Appendix A.5). The issuer signature proves the transcription is exact; our
 * processing must rebuild the claims the RFC says a verifier obtains.
 */
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeSdJwt } from './decode.ts';
import { verifySdJwtPresentation } from './verify.ts';

const RFC_ISSUER_JWK = { kty: 'EC', crv: 'P-256', x: 'b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ', y: 'Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8' };

const A1_SIMPLE_STRUCTURED = [
  'eyJhbGciOiAiRVMyNTYiLCAidHlwIjogImV4YW1wbGUrc2Qtand0In0.eyJfc2QiOiBb',
  'IkM5aW5wNllvUmFFWFI0Mjd6WUpQN1FyazFXSF84YmR3T0FfWVVyVW5HUVUiLCAiS3Vl',
  'dDF5QWEwSElRdlluT1ZkNTloY1ZpTzlVZzZKMmtTZnFZUkJlb3d2RSIsICJNTWxkT0ZG',
  'ekIyZDB1bWxtcFRJYUdlcmhXZFVfUHBZZkx2S2hoX2ZfOWFZIiwgIlg2WkFZT0lJMnZQ',
  'TjQwVjd4RXhad1Z3ejd5Um1MTmNWd3Q1REw4Ukx2NGciLCAiWTM0em1JbzBRTExPdGRN',
  'cFhHd2pCZ0x2cjE3eUVoaFlUMEZHb2ZSLWFJRSIsICJmeUdwMFdUd3dQdjJKRFFsbjFs',
  'U2lhZW9iWnNNV0ExMGJRNTk4OS05RFRzIiwgIm9tbUZBaWNWVDhMR0hDQjB1eXd4N2ZZ',
  'dW8zTUhZS08xNWN6LVJaRVlNNVEiLCAiczBCS1lzTFd4UVFlVTh0VmxsdE03TUtzSVJU',
  'ckVJYTFQa0ptcXhCQmY1VSJdLCAiaXNzIjogImh0dHBzOi8vaXNzdWVyLmV4YW1wbGUu',
  'Y29tIiwgImlhdCI6IDE2ODMwMDAwMDAsICJleHAiOiAxODgzMDAwMDAwLCAiYWRkcmVz',
  'cyI6IHsiX3NkIjogWyI2YVVoelloWjdTSjFrVm1hZ1FBTzN1MkVUTjJDQzFhSGhlWnBL',
  'bmFGMF9FIiwgIkF6TGxGb2JrSjJ4aWF1cFJFUHlvSnotOS1OU2xkQjZDZ2pyN2ZVeW9I',
  'emciLCAiUHp6Y1Z1MHFiTXVCR1NqdWxmZXd6a2VzRDl6dXRPRXhuNUVXTndrclEtayIs',
  'ICJiMkRrdzBqY0lGOXJHZzhfUEY4WmN2bmNXN3p3Wmo1cnlCV3ZYZnJwemVrIiwgImNQ',
  'WUpISVo4VnUtZjlDQ3lWdWIyVWZnRWs4anZ2WGV6d0sxcF9KbmVlWFEiLCAiZ2xUM2hy',
  'U1U3ZlNXZ3dGNVVEWm1Xd0JUdzMyZ25VbGRJaGk4aEdWQ2FWNCIsICJydkpkNmlxNlQ1',
  'ZWptc0JNb0d3dU5YaDlxQUFGQVRBY2k0MG9pZEVlVnNBIiwgInVOSG9XWWhYc1poVkpD',
  'TkUyRHF5LXpxdDd0NjlnSkt5NVFhRnY3R3JNWDQiXX0sICJfc2RfYWxnIjogInNoYS0y',
  'NTYifQ.JwMde4aGprmyUSPPl4SB5Woe7cBBzxEYyIUiMApNTMZuYjdKjoJ09F1V5KQ0Q',
  '0d6AzvMCuZBEQSxuhJwQVZRMg',
  '~WyJHMDJOU3JRZmpGWFE3SW8wOXN5YWpBIiwgInJlZ2lvbiIsICJcdTZlMmZcdTUzM2E',
  'iXQ',
  '~WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgImNvdW50cnkiLCAiSlAiXQ',
  '~',
].join('');

const A3_SD_JWT_VC = [
  'eyJhbGciOiAiRVMyNTYiLCAidHlwIjogInZjK3NkLWp3dCJ9.eyJfc2QiOiBbIjBIWm1',
  'uU0lQejMzN2tTV2U3QzM0bC0tODhnekppLWVCSjJWel9ISndBVGciLCAiOVpicGxDN1R',
  'kRVc3cWFsNkJCWmxNdHFKZG1lRU9pWGV2ZEpsb1hWSmRSUSIsICJJMDBmY0ZVb0RYQ3V',
  'jcDV5eTJ1anFQc3NEVkdhV05pVWxpTnpfYXdEMGdjIiwgIklFQllTSkdOaFhJbHJRbzU',
  '4eWtYbTJaeDN5bGw5WmxUdFRvUG8xN1FRaVkiLCAiTGFpNklVNmQ3R1FhZ1hSN0F2R1R',
  'yblhnU2xkM3o4RUlnX2Z2M2ZPWjFXZyIsICJodkRYaHdtR2NKUXNCQ0EyT3RqdUxBY3d',
  'BTXBEc2FVMG5rb3ZjS09xV05FIiwgImlrdXVyOFE0azhxM1ZjeUE3ZEMtbU5qWkJrUmV',
  'EVFUtQ0c0bmlURTdPVFUiLCAicXZ6TkxqMnZoOW80U0VYT2ZNaVlEdXZUeWtkc1dDTmc',
  'wd1RkbHIwQUVJTSIsICJ3elcxNWJoQ2t2a3N4VnZ1SjhSRjN4aThpNjRsbjFqb183NkJ',
  'DMm9hMXVnIiwgInpPZUJYaHh2SVM0WnptUWNMbHhLdUVBT0dHQnlqT3FhMXoySW9WeF9',
  'ZRFEiXSwgImlzcyI6ICJodHRwczovL2lzc3Vlci5leGFtcGxlLmNvbSIsICJpYXQiOiA',
  'xNjgzMDAwMDAwLCAiZXhwIjogMTg4MzAwMDAwMCwgInZjdCI6ICJodHRwczovL2JtaS5',
  'idW5kLmV4YW1wbGUvY3JlZGVudGlhbC9waWQvMS4wIiwgImFnZV9lcXVhbF9vcl9vdmV',
  'yIjogeyJfc2QiOiBbIkZjOElfMDdMT2NnUHdyREpLUXlJR085N3dWc09wbE1Makh2UkM',
  '0UjQtV2ciLCAiWEx0TGphZFVXYzl6Tl85aE1KUm9xeTQ2VXNDS2IxSXNoWnV1cVVGS1N',
  'DQSIsICJhb0NDenNDN3A0cWhaSUFoX2lkUkNTQ2E2NDF1eWNuYzh6UGZOV3o4bngwIiw',
  'gImYxLVAwQTJkS1dhdnYxdUZuTVgyQTctRVh4dmhveHY1YUhodUVJTi1XNjQiLCAiazV',
  'oeTJyMDE4dnJzSmpvLVZqZDZnNnl0N0Fhb25Lb25uaXVKOXplbDNqbyIsICJxcDdaX0t',
  '5MVlpcDBzWWdETzN6VnVnMk1GdVBOakh4a3NCRG5KWjRhSS1jIl19LCAiX3NkX2FsZyI',
  '6ICJzaGEtMjU2IiwgImNuZiI6IHsiandrIjogeyJrdHkiOiAiRUMiLCAiY3J2IjogIlA',
  'tMjU2IiwgIngiOiAiVENBRVIxOVp2dTNPSEY0ajRXNHZmU1ZvSElQMUlMaWxEbHM3dkN',
  'lR2VtYyIsICJ5IjogIlp4amlXV2JaTVFHSFZXS1ZRNGhiU0lpcnNWZnVlY0NFNnQ0alQ',
  '5RjJIWlEifX19.Iwo8rkeneT9yPjiorofVRWvpVqVc9xiLCNAY-TLEuEAuslt8Ids1-1',
  'JNUln7FMICScXnakTscACf7o_DqDjl1w',
  '~WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiRXJpa2EiXQ',
  '~WyJlbHVWNU9nM2dTTklJOEVZbnN4QV9BIiwgImZhbWlseV9uYW1lIiwgIk11c3Rlcm1',
  'hbm4iXQ',
  '~WyI2SWo3dE0tYTVpVlBHYm9TNXRtdlZBIiwgImJpcnRoZGF0ZSIsICIxOTYzLTA4LTE',
  'yIl0',
  '~WyJlSThaV205UW5LUHBOUGVOZW5IZGhRIiwgInNvdXJjZV9kb2N1bWVudF90eXBlIiw',
  'gImlkX2NhcmQiXQ',
  '~WyJRZ19PNjR6cUF4ZTQxMmExMDhpcm9BIiwgInN0cmVldF9hZGRyZXNzIiwgIkhlaWR',
  'lc3RyYVx1MDBkZmUgMTciXQ',
  '~WyJBSngtMDk1VlBycFR0TjRRTU9xUk9BIiwgImxvY2FsaXR5IiwgIktcdTAwZjZsbiJ',
  'd',
  '~WyJQYzMzSk0yTGNoY1VfbEhnZ3ZfdWZRIiwgInBvc3RhbF9jb2RlIiwgIjUxMTQ3Il0',
  '~WyJHMDJOU3JRZmpGWFE3SW8wOXN5YWpBIiwgImNvdW50cnkiLCAiREUiXQ',
  '~WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgImFkZHJlc3MiLCB7Il9zZCI6IFsiWEZ',
  'jN3pYUG03enpWZE15d20yRXVCZmxrYTVISHF2ZjhVcF9zek5HcXZpZyIsICJiZDFFVnp',
  'nTm9wVWs0RVczX2VRMm4zX05VNGl1WE9IdjlYYkdITjNnMVRFIiwgImZfRlFZZ3ZRV3Z',
  '5VnFObklYc0FSbE55ZTdZR3A4RTc3Z1JBamFxLXd2bnciLCAidjRra2JfcFAxamx2VWJ',
  'TanR5YzVicWNXeUEtaThYTHZoVllZN1pUMHRiMCJdfV0',
  '~WyJuUHVvUW5rUkZxM0JJZUFtN0FuWEZBIiwgIm5hdGlvbmFsaXRpZXMiLCBbIkRFIl1d',
  '~WyI1YlBzMUlxdVpOYTBoa2FGenp6Wk53IiwgImdlbmRlciIsICJmZW1hbGUiXQ',
  '~WyI1YTJXMF9OcmxFWnpmcW1rXzdQcS13IiwgImJpcnRoX2ZhbWlseV9uYW1lIiwgIkd',
  'hYmxlciJd',
  '~WyJ5MXNWVTV3ZGZKYWhWZGd3UGdTN1JRIiwgImxvY2FsaXR5IiwgIkJlcmxpbiJd',
  '~WyJIYlE0WDhzclZXM1FEeG5JSmRxeU9BIiwgInBsYWNlX29mX2JpcnRoIiwgeyJfc2Q',
  'iOiBbIldwaEhvSUR5b1diQXBEQzR6YnV3UjQweGwweExoRENfY3Y0dHNTNzFyRUEiXSw',
  'gImNvdW50cnkiOiAiREUifV0',
  '~WyJDOUdTb3VqdmlKcXVFZ1lmb2pDYjFBIiwgImFsc29fa25vd25fYXMiLCAiU2Nod2V',
  'zdGVyIEFnbmVzIl0',
  '~WyJreDVrRjE3Vi14MEptd1V4OXZndnR3IiwgIjEyIiwgdHJ1ZV0',
  '~WyJIM28xdXN3UDc2MEZpMnllR2RWQ0VRIiwgIjE0IiwgdHJ1ZV0',
  '~WyJPQktsVFZsdkxnLUFkd3FZR2JQOFpBIiwgIjE2IiwgdHJ1ZV0',
  '~WyJNMEpiNTd0NDF1YnJrU3V5ckRUM3hBIiwgIjE4IiwgdHJ1ZV0',
  '~WyJEc210S05ncFY0ZEFIcGpyY2Fvc0F3IiwgIjIxIiwgdHJ1ZV0',
  '~WyJlSzVvNXBIZmd1cFBwbHRqMXFoQUp3IiwgIjY1IiwgZmFsc2Vd~',
].join('');

describe('RFC 9901 Appendix A', () => {
  it('A.1: the issuer signature verifies with the A.5 key, and the claims are the RFC result', async () => {
    await expect(compactVerify(A1_SIMPLE_STRUCTURED.split('~')[0]!, await importJWK(RFC_ISSUER_JWK, 'ES256'))).resolves.toBeDefined();
    const decoded = await decodeSdJwt(A1_SIMPLE_STRUCTURED);
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.claims).toEqual({ iss: 'https://issuer.example.com', iat: 1683000000, exp: 1883000000, address: { region: '港区', country: 'JP' } });
    expect(decoded.disclosures.map((d) => d.path)).toEqual(['address.region', 'address.country']);
  });

  it('A.3: an SD-JWT VC with recursive disclosures rebuilds to the RFC result', async () => {
    await expect(compactVerify(A3_SD_JWT_VC.split('~')[0]!, await importJWK(RFC_ISSUER_JWK, 'ES256'))).resolves.toBeDefined();
    const decoded = await decodeSdJwt(A3_SD_JWT_VC);
    if (!decoded.ok) throw new Error(decoded.detail);
    expect(decoded.claims).toEqual({
      given_name: 'Erika',
      family_name: 'Mustermann',
      birthdate: '1963-08-12',
      source_document_type: 'id_card',
      address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
      nationalities: ['DE'],
      gender: 'female',
      birth_family_name: 'Gabler',
      place_of_birth: { locality: 'Berlin', country: 'DE' },
      also_known_as: 'Schwester Agnes',
      age_equal_or_over: { 12: true, 14: true, 16: true, 18: true, 21: true, 65: false },
      iss: 'https://issuer.example.com',
      iat: 1683000000,
      exp: 1883000000,
      vct: 'https://bmi.bund.example/credential/pid/1.0',
      cnf: { jwk: { kty: 'EC', crv: 'P-256', x: 'TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc', y: 'ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ' } },
    });
  });

  it('our verifier gets through algorithm, trust list and signature, then holds to dc+sd-jwt', async () => {
    const options = { resolveIssuerKey: () => RFC_ISSUER_JWK, requireKeyBinding: false as const, now: 1_700_000_000 };
    // A.3 predates the dc+sd-jwt media type (vc+sd-jwt); A.1 is a plain SD-JWT.
    expect(await verifySdJwtPresentation(A3_SD_JWT_VC, options)).toMatchObject({ ok: false, reason: 'wrong_typ' });
    expect(await verifySdJwtPresentation(A1_SIMPLE_STRUCTURED, options)).toMatchObject({ ok: false, reason: 'wrong_typ' });
    // exp 1883000000 → 1983000000 (still valid JSON) is caught by the signature.
    const tampered = A3_SD_JWT_VC.replace('ZXhwIjogMTg4MzAwMDAwMC', 'ZXhwIjogMTk4MzAwMDAwMC');
    expect(tampered).not.toBe(A3_SD_JWT_VC);
    const forged = await decodeSdJwt(tampered);
    expect(forged.ok && forged.payload.exp).toBe(1983000000);
    expect(await verifySdJwtPresentation(tampered, options)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});
