import { beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../encoding.ts';
import { bitAt, bitstringStatus, BITSTRING_MIN_ENTRIES, decodeEncodedList, parseBitstringStatusListCredential } from './bitstring.ts';
import { inflate } from './compression.ts';
import {
  bitstringWith,
  compress,
  encodeBitstring,
  makeIssuer,
  resolver,
  signVcJwt11,
  signVcJwt2,
  tamper,
  type TestIssuer,
} from '../../../../test/support/status-lists.ts';

const URL_1 = 'https://issuer.example/status/1';
const NOW = Date.parse('2025-06-01T12:00:00Z');
const LAST = BITSTRING_MIN_ENTRIES - 1;

describe('encodedList decoding', () => {
  it('expands the example list from the spec: 16 KB of zeros', async () => {
    // From the Bitstring Status List v1.0 example BitstringStatusListCredential.
    const bits = await decodeEncodedList('uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA');
    expect(bits.length).toBe(16 * 1024);
    expect(bits.every((b) => b === 0)).toBe(true);
  });

  it('reads index 0 as the most significant bit of the first byte', () => {
    const bytes = Uint8Array.from([0b1000_0001, 0b0100_0000]);
    expect([0, 1, 6, 7, 8, 9, 15].map((i) => bitAt(bytes, i))).toEqual([true, false, false, true, false, true, false]);
  });

  it('round-trips set bits at byte boundaries (0, 7, 8, last)', async () => {
    const set = [0, 7, 8, 4242, LAST];
    const bits = await decodeEncodedList(await encodeBitstring(bitstringWith(set)));
    for (const i of set) expect(bitAt(bits, i)).toBe(true);
    for (const i of [1, 6, 9, 15, 16, 4241, 4243, LAST - 1]) expect(bitAt(bits, i)).toBe(false);
    expect(bits[0]).toBe(0b1000_0001);
    expect(bits[1]).toBe(0b1000_0000);
    expect(bits[bits.length - 1]).toBe(0b0000_0001);
  });

  it('refuses an index outside the list', async () => {
    const bits = bitstringWith([]);
    expect(() => bitAt(bits, BITSTRING_MIN_ENTRIES)).toThrow(/outside the status list \(131072 entries\)/);
    expect(() => bitAt(bits, -1)).toThrow(/outside/);
    expect(() => bitAt(bits, 1.5)).toThrow(/outside/);
  });

  it('refuses a list shorter than 16 KB, a missing multibase prefix, and non-GZIP data', async () => {
    await expect(decodeEncodedList(await encodeBitstring(bitstringWith([], 8 * 1024)))).rejects.toThrow(/8192 entries, fewer than the required 131072/);
    const valid = await encodeBitstring(bitstringWith([]));
    await expect(decodeEncodedList(valid.slice(1))).rejects.toThrow(/must start with 'u'/);
    await expect(decodeEncodedList(`u${toBase64Url(new Uint8Array(64))}`)).rejects.toThrow(/not valid GZIP/);
    await expect(decodeEncodedList('u@@@')).rejects.toThrow(/not base64url/);
  });

  it('stops expanding a list that inflates beyond the limit', async () => {
    const bomb = await compress(new Uint8Array(1024 * 1024), 'gzip');
    await expect(inflate(bomb, 'gzip', 64 * 1024)).rejects.toThrow(/more than 65536 bytes/);
    expect((await inflate(bomb, 'gzip')).length).toBe(1024 * 1024);
  });
});

describe('BitstringStatusListCredential', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  let encodedList: string;
  beforeAll(async () => {
    [issuer, other] = await Promise.all([makeIssuer(), makeIssuer()]);
    encodedList = await encodeBitstring(bitstringWith([3, 8]));
  });
  const expectations = (extra: Record<string, unknown> = {}) => ({ issuer: issuer.did, resolver, now: NOW, listUrl: URL_1, ...extra });

  it('accepts a VCDM 2.0 vc+jwt list signed by the issuer', async () => {
    const jwt = await signVcJwt2(issuer, URL_1, { encodedList, ttl: 600_000, credential: { validUntil: '2026-01-01T00:00:00Z' } });
    const list = await parseBitstringStatusListCredential(jwt, expectations({ purpose: 'revocation' }));
    expect(list).toMatchObject({ id: URL_1, issuer: issuer.did, purposes: ['revocation'], ttlMs: 600_000 });
    expect(list.validUntil).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(bitstringStatus(list, 'revocation', 3)).toBe(true);
    expect(bitstringStatus(list, 'revocation', 4)).toBe(false);
    expect(() => bitstringStatus(list, 'suspension', 3)).toThrow(/statusPurpose is 'suspension' but the list is for 'revocation'/);
  });

  it('accepts a VCDM 1.1 VC-JWT list and an enveloped vc+jwt', async () => {
    const legacy = await signVcJwt11(issuer, URL_1, { encodedList, purpose: ['revocation', 'suspension'] });
    const list = await parseBitstringStatusListCredential(legacy, expectations());
    expect(list).toMatchObject({ id: URL_1, issuer: issuer.did, purposes: ['revocation', 'suspension'], ttlMs: null });
    expect(bitAt(list.bitstring, 8)).toBe(true);

    const jwt = await signVcJwt2(issuer, URL_1, { encodedList });
    const envelope = JSON.stringify({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${jwt}`,
    });
    expect((await parseBitstringStatusListCredential(envelope, expectations())).issuer).toBe(issuer.did);
  });

  it('refuses a list issued by another issuer, even one correctly signed by it', async () => {
    const jwt = await signVcJwt2(other, URL_1, { encodedList });
    await expect(parseBitstringStatusListCredential(jwt, expectations())).rejects.toThrow(
      `the status list is issued by ${other.did}, not by the credential's issuer ${issuer.did}`,
    );
  });

  it("refuses a list naming the issuer but signed with another DID's key", async () => {
    const jwt = await signVcJwt2(other, URL_1, { encodedList, issuer: issuer.did });
    await expect(parseBitstringStatusListCredential(jwt, expectations())).rejects.toThrow(/does not belong to/);
    // Same, with the issuer's kid in the header but the other key's signature.
    const forged = await signVcJwt2(other, URL_1, { encodedList, issuer: issuer.did, header: { kid: issuer.kid } });
    await expect(parseBitstringStatusListCredential(forged, expectations())).rejects.toThrow(/signature does not verify/);
  });

  it('refuses a tampered list (a revoked bit cleared, signature kept)', async () => {
    const jwt = await signVcJwt2(issuer, URL_1, { encodedList });
    const cleared = await encodeBitstring(bitstringWith([]));
    const forged = tamper(jwt, (payload) => {
      (payload.credentialSubject as Record<string, unknown>).encodedList = cleared;
    });
    await expect(parseBitstringStatusListCredential(forged, expectations())).rejects.toThrow(/signature does not verify/);
  });

  it('refuses a purpose mismatch, an expired or not-yet-valid list, and an id of another URL', async () => {
    const suspension = await signVcJwt2(issuer, URL_1, { encodedList, purpose: 'suspension' });
    await expect(parseBitstringStatusListCredential(suspension, expectations({ purpose: 'revocation' }))).rejects.toThrow(
      /statusPurpose is 'revocation' but the list is for 'suspension'/,
    );
    const expired = await signVcJwt2(issuer, URL_1, { encodedList, credential: { validUntil: '2025-05-01T00:00:00Z' } });
    await expect(parseBitstringStatusListCredential(expired, expectations())).rejects.toThrow(/expired at 2025-05-01T00:00:00.000Z/);
    const expiredJwt = await signVcJwt11(issuer, URL_1, { encodedList, claims: { exp: NOW / 1000 - 1 } });
    await expect(parseBitstringStatusListCredential(expiredJwt, expectations())).rejects.toThrow(/expired/);
    const future = await signVcJwt2(issuer, URL_1, { encodedList, credential: { validFrom: '2025-07-01T00:00:00Z' } });
    await expect(parseBitstringStatusListCredential(future, expectations())).rejects.toThrow(/not valid before 2025-07-01/);
    const elsewhere = await signVcJwt2(issuer, 'https://issuer.example/status/2', { encodedList });
    await expect(parseBitstringStatusListCredential(elsewhere, expectations())).rejects.toThrow(/is not the URL it was fetched from/);
  });

  it('is bound to the URL it was fetched from: no id, a non-URL id or a disagreeing jti is refused', async () => {
    const noId = await signVcJwt2(issuer, URL_1, { encodedList, credential: { id: undefined } });
    await expect(parseBitstringStatusListCredential(noId, expectations())).rejects.toThrow(
      `the status list has no id; it must be the URL it was fetched from (${URL_1})`,
    );
    const urnId = await signVcJwt2(issuer, URL_1, { encodedList, credential: { id: 'urn:uuid:2f8c1e5a-0000-4000-8000-000000000001' } });
    await expect(parseBitstringStatusListCredential(urnId, expectations())).rejects.toThrow(
      `the status list's id urn:uuid:2f8c1e5a-0000-4000-8000-000000000001 is not the URL it was fetched from (${URL_1})`,
    );
    const legacyNoJti = await signVcJwt11(issuer, URL_1, { encodedList, claims: { jti: undefined } });
    await expect(parseBitstringStatusListCredential(legacyNoJti, expectations())).rejects.toThrow(/has no id/);
    const legacyVcId = await signVcJwt11(issuer, URL_1, { encodedList, claims: { jti: undefined }, credential: { id: URL_1 } });
    expect((await parseBitstringStatusListCredential(legacyVcId, expectations())).id).toBe(URL_1);
    const disagreeing = await signVcJwt11(issuer, URL_1, { encodedList, credential: { id: 'https://issuer.example/status/2' } });
    await expect(parseBitstringStatusListCredential(disagreeing, expectations())).rejects.toThrow(/id https:\/\/issuer.example\/status\/2 is not the URL/);
  });

  it('refuses malformed lists with a precise reason', async () => {
    const wrongType = await signVcJwt2(issuer, URL_1, { encodedList, credential: { type: ['VerifiableCredential'] } });
    await expect(parseBitstringStatusListCredential(wrongType, expectations())).rejects.toThrow(/not a BitstringStatusListCredential/);
    const none = await signVcJwt2(issuer, URL_1, { encodedList });
    const [, payload, signature] = none.split('.');
    const noneHeader = toBase64Url(new TextEncoder().encode(JSON.stringify({ alg: 'none', kid: issuer.kid })));
    await expect(parseBitstringStatusListCredential(`${noneHeader}.${payload}.${signature}`, expectations())).rejects.toThrow(
      /unsupported algorithm \(none\)/,
    );
    await expect(parseBitstringStatusListCredential('{"type":"VerifiableCredential","proof":{}}', expectations())).rejects.toThrow(
      /not secured as a JWT/,
    );
    await expect(parseBitstringStatusListCredential('not a jwt', expectations())).rejects.toThrow(/not a compact JWT/);
  });
});
