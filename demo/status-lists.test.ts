import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyCredential } from 'did-jwt-vc';
import { createEd25519Did, verifyEd25519 } from './registry/did-key.ts';
import { didKeyResolver, decodeJwtHeader, decodeJwtPayload } from './verify.ts';
import { BITSTRING_BYTES, BitstringStatusList, TOKEN_LIST_BYTES, TokenStatusList } from './status-lists.ts';

const key = createEd25519Did();
const URL_ = 'http://127.0.0.1:9/status/revocation';

describe('BitstringStatusList', () => {
  it('publishes a signed list whose bit for a revoked index is set, most significant bit first', async () => {
    const list = new BitstringStatusList();
    const index = list.allocate();
    const other = list.allocate();
    expect(list.revoke(index)).toBe(true);
    const jwt = await list.credential(key, URL_);
    const verified = await verifyCredential(jwt, didKeyResolver);
    expect(verified.issuer).toBe(key.did);
    const subject = verified.verifiableCredential.credentialSubject as Record<string, unknown>;
    expect(subject).toMatchObject({ id: `${URL_}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation' });
    const bits = gunzipSync(Buffer.from(String(subject.encodedList).slice(1), 'base64url'));
    expect(bits.length).toBe(BITSTRING_BYTES);
    expect((bits[index >> 3]! & (0x80 >> (index & 7))) !== 0).toBe(true);
    expect(bits[other >> 3]! & (0x80 >> (other & 7))).toBe(0);
    expect(list.isRevoked(index)).toBe(true);
    expect(list.isRevoked(other)).toBe(false);
  });

  it('refuses to revoke an index it never handed out, and changes nothing', () => {
    const list = new BitstringStatusList(1);
    expect(list.revoke(3)).toBe(false);
    expect(list.isRevoked(3)).toBe(false);
  });

  it('hands out each index once, and says so when it is full', () => {
    const list = new BitstringStatusList(1);
    const seen = new Set(Array.from({ length: 8 }, () => list.allocate()));
    expect(seen.size).toBe(8);
    expect(() => list.allocate()).toThrow('the status list is full');
  });

  it('makes the credentialStatus entry that points at the list', () => {
    expect(new BitstringStatusList().entry(URL_, 42)).toEqual({
      id: `${URL_}#42`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '42',
      statusListCredential: URL_,
    });
  });
});

describe('TokenStatusList', () => {
  it('publishes a statuslist+jwt whose bit for a revoked index is set, least significant bit first', () => {
    const list = new TokenStatusList();
    const index = list.allocate();
    list.revoke(index);
    const token = list.token(key, 'http://127.0.0.1:9/status/token');
    const [header, payload, signature] = token.split('.');
    expect(verifyEd25519(`${header}.${payload}`, signature!, key.publicKey)).toBe(true);
    expect(decodeJwtHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: key.kid });
    const body = decodeJwtPayload(token) as { sub: string; iss: string; status_list: { bits: number; lst: string } };
    expect(body.sub).toBe('http://127.0.0.1:9/status/token');
    expect(body.iss).toBe(key.did);
    expect(body.status_list.bits).toBe(1);
    const bytes = inflateSync(Buffer.from(body.status_list.lst, 'base64url'));
    expect(bytes.length).toBe(TOKEN_LIST_BYTES);
    expect((bytes[index >> 3]! >> (index & 7)) & 1).toBe(1);
    expect(bytes.reduce((n, b) => n + (b.toString(2).split('1').length - 1), 0)).toBe(1);
  });
});
