import { beforeAll, describe, expect, it } from 'vitest';
import { makeIssuer, encodeLst, packStatuses, resolver, signStatusListToken, tamper, type TestIssuer } from '../../../../test/support/status-lists.ts';
import { decodeStatusListBytes, parseTokenStatusListJwt, statusValueAt } from './token-status-list.ts';

const URI = 'https://issuer.example/statuslists/1';
const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('Token Status List encoding', () => {
  it('reads the 1-bit example of the draft (least significant bit first)', async () => {
    const bytes = await decodeStatusListBytes('eNrbuRgAAhcBXQ');
    expect([...bytes]).toEqual([0xb9, 0xa3]);
    const statuses = Array.from({ length: 16 }, (_, i) => statusValueAt(bytes, 1, i));
    expect(statuses).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
  });

  it('reads the 2-bit example of the draft', async () => {
    const bytes = await decodeStatusListBytes('eNo76fITAAPfAgc');
    expect([...bytes]).toEqual([0xc9, 0x44, 0xf9]);
    const statuses = Array.from({ length: 12 }, (_, i) => statusValueAt(bytes, 2, i));
    expect(statuses).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
  });

  it('reads 4- and 8-bit lists and round-trips our own encoding', async () => {
    const four = [0, 1, 2, 15, 14, 3];
    const fourBytes = await decodeStatusListBytes(await encodeLst(packStatuses(four, 4)));
    expect([...fourBytes]).toEqual([0x10, 0xf2, 0x3e]);
    expect(four.map((_, i) => statusValueAt(fourBytes, 4, i))).toEqual(four);
    const eight = [0, 255, 2, 1];
    const eightBytes = await decodeStatusListBytes(await encodeLst(packStatuses(eight, 8)));
    expect(eight.map((_, i) => statusValueAt(eightBytes, 8, i))).toEqual(eight);
  });

  it('refuses an index outside the list and data that is not ZLIB', async () => {
    const bytes = Uint8Array.from([0xb9, 0xa3]);
    expect(() => statusValueAt(bytes, 1, 16)).toThrow(/index 16 is outside the status list \(16 entries\)/);
    expect(() => statusValueAt(bytes, 2, 8)).toThrow(/\(8 entries\)/);
    await expect(decodeStatusListBytes('AAAAAAAA')).rejects.toThrow(/not valid ZLIB/);
  });
});

describe('Status List Token (statuslist+jwt)', () => {
  let issuer: TestIssuer;
  let other: TestIssuer;
  let lst: string;
  beforeAll(async () => {
    [issuer, other] = await Promise.all([makeIssuer(), makeIssuer()]);
    lst = await encodeLst(packStatuses([0, 1, 2, 0, 3], 2));
  });
  const expected = () => ({ issuer: issuer.did, listUrl: URI, resolver, now: NOW });

  it('accepts a token signed by the issuer and reads its statuses', async () => {
    const jwt = await signStatusListToken(issuer, URI, { bits: 2, lst, ttl: 43_200, exp: NOW / 1000 + 86_400, claims: { iss: issuer.did } });
    const list = await parseTokenStatusListJwt(jwt, expected());
    expect(list).toMatchObject({ uri: URI, issuer: issuer.did, bits: 2, ttlSeconds: 43_200, expiresAt: NOW + 86_400_000 });
    expect([0, 1, 2, 3, 4].map((i) => statusValueAt(list.bytes, list.bits, i))).toEqual([0, 1, 2, 0, 3]);
  });

  it('refuses a wrong typ, another sub, another iss, a missing iat, an expired token and bad bits', async () => {
    const cases: [Promise<string>, RegExp][] = [
      [signStatusListToken(issuer, URI, { bits: 2, lst, header: { typ: 'JWT' } }), /token type is 'JWT', not 'statuslist\+jwt'/],
      [signStatusListToken(issuer, 'https://issuer.example/statuslists/2', { bits: 2, lst }), /sub .* is not the status list URI/],
      [signStatusListToken(issuer, URI, { bits: 2, lst, claims: { iss: other.did } }), /issued by did:key:.*, not by the credential's issuer/],
      [signStatusListToken(issuer, URI, { bits: 2, lst, claims: { iat: undefined } }), /iat claim is missing/],
      [signStatusListToken(issuer, URI, { bits: 2, lst, exp: NOW / 1000 - 1 }), /expired at/],
      [signStatusListToken(issuer, URI, { bits: 2, lst, ttl: -5 }), /ttl claim is not a positive number/],
      [signStatusListToken(issuer, URI, { bits: 3 as 2, lst }), /bits is not 1, 2, 4 or 8/],
    ];
    for (const [jwt, reason] of cases) await expect(parseTokenStatusListJwt(await jwt, expected())).rejects.toThrow(reason);
  });

  it("refuses a token signed by another issuer's key, or tampered with", async () => {
    const foreign = await signStatusListToken(other, URI, { bits: 2, lst });
    await expect(parseTokenStatusListJwt(foreign, expected())).rejects.toThrow(/does not belong to/);
    const noKid = await signStatusListToken(other, URI, { bits: 2, lst, header: { kid: undefined } });
    await expect(parseTokenStatusListJwt(noKid, expected())).rejects.toThrow(/signature does not verify/);
    const jwt = await signStatusListToken(issuer, URI, { bits: 2, lst });
    const cleared = await encodeLst(packStatuses([0, 0, 0, 0, 0], 2));
    const forged = tamper(jwt, (payload) => {
      (payload.status_list as Record<string, unknown>).lst = cleared;
    });
    await expect(parseTokenStatusListJwt(forged, expected())).rejects.toThrow(/signature does not verify/);
  });
});
