/** Test keys: Ed25519 did:key holders and verifiers, and a did:key resolver that is not ours. */
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { Resolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import type { DidResolver, HolderBinding } from '../../../src/core/credentials/types.ts';
import { toBase64Url, toHex } from '../../../src/core/encoding.ts';
import { ed25519Signer } from '../../../src/core/identity/ed25519-signer.ts';
import type { JwtSigner } from '../../../src/core/identity/jwt.ts';

export interface TestDidKey {
  did: string;
  /** The verification method (DID URL). */
  kid: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  /** Public JWK (OKP Ed25519). */
  publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };
  /** Private JWK, for jose. */
  privateJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string };
  binding: HolderBinding;
  /** The wallet's own kind of signer (WebCrypto Ed25519). */
  signer(): Promise<JwtSigner>;
  /** A did-jwt(-vc) signer: base64url signature. */
  didJwtSigner(data: string | Uint8Array): Promise<string>;
}

export function createDidKey(): TestDidKey {
  const secretKey = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secretKey);
  const fingerprint = `z${base58.encode(Uint8Array.from([0xed, 0x01, ...publicKey]))}`;
  const did = `did:key:${fingerprint}`;
  const kid = `${did}#${fingerprint}`;
  const x = toBase64Url(publicKey);
  return {
    did,
    kid,
    secretKey,
    publicKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x },
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x, d: toBase64Url(secretKey) },
    binding: { did, kid, keyRef: toHex(publicKey) },
    signer: () => ed25519Signer(kid, toHex(secretKey) + toHex(publicKey)),
    didJwtSigner: async (data) =>
      toBase64Url(ed25519.sign(typeof data === 'string' ? new TextEncoder().encode(data) : data, secretKey)),
  };
}

/** did:key resolution by `key-did-resolver` through `did-resolver` (independent of the wallet's). */
export const didKeyResolver: DidResolver & Resolver = new Resolver(getKeyDidResolver());
