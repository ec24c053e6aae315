/**
 * Ed25519 `did:key` identities for the demo issuer and verifier, and the small
 * conversions both need (did:key ↔ raw public key ↔ OKP JWK, EdDSA signing).
 *
 * A did:key for Ed25519 is `did:key:z` + base58btc(0xed 0x01 ‖ 32-byte public key);
 * its only verification method is `<did>#<the same z… string>`.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';

const ED25519_MULTICODEC = [0xed, 0x01] as const;

export interface OkpJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d?: string;
}

export interface Ed25519Did {
  did: string;
  /** The verification method: `<did>#z…`. */
  kid: string;
  publicKey: Uint8Array;
  /** 32-byte seed. */
  secretKey: Uint8Array;
  publicJwk: OkpJwk;
  privateJwk: OkpJwk;
  privateKeyObject: KeyObject;
  publicKeyObject: KeyObject;
  /** base64url EdDSA signature over the UTF-8 bytes of `data` (the JWS signing input). */
  sign(data: string | Uint8Array): string;
}

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export function didKeyFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return `did:key:z${base58.encode(new Uint8Array([...ED25519_MULTICODEC, ...publicKey]))}`;
}

/** The raw Ed25519 public key of a `did:key:z6Mk…` (or of one of its DID URLs). */
export function publicKeyFromDidKey(didOrUrl: string): Uint8Array {
  const did = didOrUrl.split('#')[0] ?? '';
  const match = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match?.[1]) throw new Error(`not a did:key: ${did}`);
  const bytes = base58.decode(match[1]);
  if (bytes.length !== 34 || bytes[0] !== ED25519_MULTICODEC[0] || bytes[1] !== ED25519_MULTICODEC[1]) {
    throw new Error(`not an Ed25519 did:key: ${did}`);
  }
  return bytes.slice(2);
}

/** The OKP JWK of an Ed25519 did:key (what an SD-JWT VC's `cnf.jwk` carries). */
export function jwkFromDidKey(didOrUrl: string): OkpJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKeyFromDidKey(didOrUrl)) };
}

export function verificationMethodOf(did: string): string {
  return `${did}#${did.slice('did:key:'.length)}`;
}

/** A new (or seeded) Ed25519 did:key with its keys. */
export function createEd25519Did(seed?: Uint8Array): Ed25519Did {
  const secretKey = seed ?? ed25519.utils.randomSecretKey();
  if (secretKey.length !== 32) throw new Error('an Ed25519 seed has 32 bytes');
  const publicKey = ed25519.getPublicKey(secretKey);
  const did = didKeyFromPublicKey(publicKey);
  const publicJwk: OkpJwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) };
  const privateJwk: OkpJwk = { ...publicJwk, d: b64u(secretKey) };
  const privateKeyObject = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  const publicKeyObject = createPublicKey({ key: { ...publicJwk }, format: 'jwk' });
  return {
    did,
    kid: verificationMethodOf(did),
    publicKey,
    secretKey,
    publicJwk,
    privateJwk,
    privateKeyObject,
    publicKeyObject,
    sign: (data) => sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKeyObject).toString('base64url'),
  };
}

/** Verifies a base64url EdDSA signature over `data` with a raw Ed25519 public key or an OKP JWK. */
export function verifyEd25519(data: string, signature: string, key: Uint8Array | OkpJwk | KeyObject): boolean {
  const keyObject =
    key instanceof Uint8Array
      ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(key) }, format: 'jwk' })
      : 'kty' in key
        ? createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x }, format: 'jwk' })
        : key;
  try {
    return verify(null, Buffer.from(data, 'utf8'), keyObject, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** A compact JWS over `header` and `payload`, signed by `key` (EdDSA). */
export function signCompactJws(key: Ed25519Did, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64u(Buffer.from(JSON.stringify({ alg: 'EdDSA', ...header })))}.${b64u(Buffer.from(JSON.stringify(payload)))}`;
  return `${input}.${key.sign(input)}`;
}
