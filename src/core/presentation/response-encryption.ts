import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { utf8 } from '../encoding.ts';
import { isPlainObject } from './claim-path.ts';
import { ProtocolError } from './errors.ts';

/** How a `dc_api.jwt` response is encrypted (OpenID4VP 1.0 §8.3): to one verifier key. */
export interface ResponseEncryption {
  /** The verifier's public key from `client_metadata.jwks`. */
  jwk: JWK;
  alg: 'ECDH-ES';
  enc: ContentEncryption;
  /** The key's `kid`, repeated in the JWE header so the verifier finds its key. */
  kid: string | null;
}

type ContentEncryption = (typeof SUPPORTED_ENC)[number];

/** AES-192 is left out: WebCrypto in Chrome has no 192-bit AES. */
const SUPPORTED_ENC = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'] as const;
const SUPPORTED_CURVES: Record<string, readonly string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['X25519'] };

/**
 * Picks the key and algorithms for a `dc_api.jwt` response from `client_metadata`:
 * a JWK whose `use` is absent or `enc`, whose `alg` (required) is `ECDH-ES`, on a
 * curve WebCrypto has; `enc` is the first of `encrypted_response_enc_values_supported`
 * we support (default A128GCM). Refuses the request when there is none.
 */
export function selectResponseEncryption(clientMetadata: Record<string, unknown> | null): ResponseEncryption {
  const jwks = clientMetadata?.jwks;
  if (!isPlainObject(jwks) || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new ProtocolError('response_mode dc_api.jwt needs an encryption key in client_metadata.jwks');
  }
  const key = jwks.keys.find(isUsableEncryptionKey);
  if (!key) {
    throw new ProtocolError(
      'client_metadata.jwks has no usable encryption key (use "enc" or absent, alg "ECDH-ES", kty EC P-256/P-384/P-521 or OKP X25519)',
    );
  }
  return { jwk: publicPart(key), alg: 'ECDH-ES', enc: selectEnc(clientMetadata?.encrypted_response_enc_values_supported), kid: typeof key.kid === 'string' ? key.kid : null };
}

function isUsableEncryptionKey(key: unknown): key is JWK {
  if (!isPlainObject(key)) return false;
  if (key.use !== undefined && key.use !== 'enc') return false;
  if (key.alg !== 'ECDH-ES' || typeof key.kty !== 'string' || typeof key.crv !== 'string') return false;
  return SUPPORTED_CURVES[key.kty]?.includes(key.crv) ?? false;
}

function selectEnc(values: unknown): ContentEncryption {
  if (values === undefined) return 'A128GCM';
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
    throw new ProtocolError('client_metadata.encrypted_response_enc_values_supported must be a non-empty array of strings');
  }
  const enc = SUPPORTED_ENC.find((candidate) => values.includes(candidate));
  if (!enc) throw new ProtocolError(`none of encrypted_response_enc_values_supported (${values.join(', ')}) is supported; use A128GCM or A256GCM`);
  return enc;
}

function publicPart(key: JWK): JWK {
  const { kty, crv, x, y, kid } = key;
  return { kty, crv, x, ...(y === undefined ? {} : { y }), ...(kid === undefined ? {} : { kid }) };
}

/** The JWE (compact) carrying the response parameters as top-level JSON members. */
export async function encryptResponse(payload: Record<string, unknown>, encryption: ResponseEncryption): Promise<string> {
  const key = await importJWK(encryption.jwk, encryption.alg);
  return new CompactEncrypt(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ alg: encryption.alg, enc: encryption.enc, ...(encryption.kid ? { kid: encryption.kid } : {}) })
    .encrypt(key);
}
