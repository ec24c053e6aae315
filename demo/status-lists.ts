/**
 * The two status lists the demo issuers publish, one class each: the W3C Bitstring
 * Status List (for JWT VCs: the registry's resident cards, the accreditation body's
 * accreditations) and the IETF Token Status List (for SD-JWT VCs: the registry's PID,
 * the clinic's health summary). Each hands out random indexes, sets a bit for good
 * (a revocation is not undone) and renders itself as the signed list a verifier fetches.
 */
import { randomInt } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, type JwtCredentialPayload } from 'did-jwt-vc';
import { signCompactJws, type Ed25519Did } from './registry/did-key.ts';

/** Bitstring Status List minimum: 16 KB = 131,072 entries (group privacy). */
export const BITSTRING_BYTES = 16 * 1024;
/** Token Status List size (1 bit per credential). */
export const TOKEN_LIST_BYTES = 2 * 1024;
/** How long a verifier may cache a list: short, so a demo's "Revoke" shows at once. */
export const BITSTRING_TTL_MS = 1_000;
export const TOKEN_TTL_SECONDS = 1;

/** The index allocation and the bit store both lists share; how a bit is placed in a byte differs. */
abstract class StatusBits {
  protected readonly bytes: Uint8Array;
  private readonly used = new Set<number>();

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  /** Number of entries. */
  get capacity(): number {
    return this.bytes.length * 8;
  }

  /** A new, unused index. Random, so a credential's position says nothing about when it was issued. */
  allocate(): number {
    if (this.used.size >= this.capacity) throw new Error('the status list is full');
    for (;;) {
      const index = randomInt(0, this.capacity);
      if (!this.used.has(index)) {
        this.used.add(index);
        return index;
      }
    }
  }

  isAllocated(index: number): boolean {
    return this.used.has(index);
  }

  /** Sets `index`'s bit (revoked for good); false if that index was never handed out. */
  revoke(index: number): boolean {
    if (!this.used.has(index)) return false;
    this.bytes[index >> 3] = (this.bytes[index >> 3] ?? 0) | this.mask(index);
    return true;
  }

  isRevoked(index: number): boolean {
    return ((this.bytes[index >> 3] ?? 0) & this.mask(index)) !== 0;
  }

  protected abstract mask(index: number): number;
}

/** W3C Bitstring Status List: bit i is the most-significant-first bit i%8 of byte i>>3. */
export class BitstringStatusList extends StatusBits {
  constructor(size = BITSTRING_BYTES) {
    super(size);
  }

  protected mask(index: number): number {
    return 0x80 >> (index & 7);
  }

  /** The `credentialStatus` entry of the credential at `index` of the list published at `url`. */
  entry(url: string, index: number) {
    return {
      id: `${url}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: url,
    };
  }

  /** The BitstringStatusListCredential published at `url`, as a VC-JWT signed by `key`. */
  async credential(key: Ed25519Did, url: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JwtCredentialPayload = {
      nbf: now,
      exp: now + 24 * 3600,
      jti: url,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1'],
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        credentialSubject: {
          id: `${url}#list`,
          type: 'BitstringStatusList',
          statusPurpose: 'revocation',
          encodedList: `u${gzipSync(this.bytes).toString('base64url')}`,
          ttl: BITSTRING_TTL_MS,
        },
      },
    };
    return createVerifiableCredentialJwt(
      payload,
      { did: key.did, signer: EdDSASigner(key.secretKey), alg: 'EdDSA' },
      { header: { alg: 'EdDSA', kid: key.kid, typ: 'JWT' }, removeOriginalFields: false },
    );
  }
}

/** IETF Token Status List with 1 bit per credential: status i is bit i%8 of byte i>>3, least significant first. */
export class TokenStatusList extends StatusBits {
  constructor(size = TOKEN_LIST_BYTES) {
    super(size);
  }

  protected mask(index: number): number {
    return 1 << (index & 7);
  }

  /** The Status List Token (`statuslist+jwt`) published at `url`, signed by `key`. */
  token(key: Ed25519Did, url: string): string {
    const now = Math.floor(Date.now() / 1000);
    return signCompactJws(
      key,
      { typ: 'statuslist+jwt', kid: key.kid },
      {
        sub: url,
        iss: key.did,
        iat: now,
        exp: now + 24 * 3600,
        ttl: TOKEN_TTL_SECONDS,
        status_list: { bits: 1, lst: deflateSync(this.bytes).toString('base64url') },
      },
    );
  }
}
