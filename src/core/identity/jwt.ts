import { toBase64Url, utf8 } from '../encoding.ts';

/** Signs JWTs for one key: `alg` and the verification method `kid` it is known by. */
export interface JwtSigner {
  alg: string;
  kid: string;
  sign(signingInput: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

const encodePart = (value: unknown) => toBase64Url(utf8(JSON.stringify(value)));

/**
 * A compact JWS with exactly our claims (e.g. `aud` as one string, as OpenID4VP wants,
 * where did-jwt-vc always writes an array).
 */
export async function encodeSignedJwt(
  signer: JwtSigner,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const signingInput = `${encodePart({ alg: signer.alg, typ: 'JWT', kid: signer.kid, ...header })}.${encodePart(payload)}`;
  const signature = await signer.sign(utf8(signingInput));
  return `${signingInput}.${toBase64Url(signature)}`;
}
