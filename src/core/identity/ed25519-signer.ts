import { fromHex, toBase64Url } from '../encoding.ts';
import type { JwtSigner } from './jwt.ts';

/**
 * An EdDSA signer over a key from the wallet's private-key store (kms-local keeps
 * Ed25519 keys as 64 bytes, seed ‖ public key), signing with WebCrypto: native, and
 * without the Veramo agent or a DID resolution, so a silent login stays fast.
 */
export async function ed25519Signer(kid: string, privateKeyHex: string): Promise<JwtSigner> {
  if (!/^[0-9a-f]{128}$/i.test(privateKeyHex)) throw new Error('Not an Ed25519 private key (seed ‖ public key)');
  const bytes = fromHex(privateKeyHex);
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(bytes.subarray(0, 32)), x: toBase64Url(bytes.subarray(32)) };
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign']);
  return {
    alg: 'EdDSA',
    kid,
    sign: async (input) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, new Uint8Array(input))),
  };
}
