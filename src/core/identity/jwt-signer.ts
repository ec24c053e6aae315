import { toBase64Url, utf8 } from '../encoding.ts';
import type { IdentityAgent } from './agent.ts';

const ALG_BY_KEY_TYPE: Record<string, string> = { Ed25519: 'EdDSA', Secp256r1: 'ES256', Secp256k1: 'ES256K' };

const encodePart = (value: unknown) => toBase64Url(utf8(JSON.stringify(value)));

/**
 * Signs a compact JWS with the key of one of the wallet's DIDs. Written here rather
 * than through did-jwt-vc so the claims are exactly ours (e.g. `aud` as one string,
 * as OpenID4VP wants, where did-jwt-vc always writes an array).
 */
export async function signJwtAsDid(
  agent: IdentityAgent,
  did: string,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const identifier = await agent.didManagerGet({ did });
  const key = identifier.keys[0];
  if (!key) throw new Error(`DID ${did} has no key`);
  const alg = ALG_BY_KEY_TYPE[key.type];
  if (!alg) throw new Error(`Key type ${key.type} cannot sign JWTs here`);
  const resolution = await agent.resolveDid({ didUrl: did });
  const kid = resolution.didDocument?.verificationMethod?.[0]?.id;
  if (!kid) throw new Error(`DID ${did} has no verification method`);
  const signingInput = `${encodePart({ alg, typ: 'JWT', kid, ...header })}.${encodePart(payload)}`;
  const signature = await agent.keyManagerSign({ keyRef: key.kid, algorithm: alg, data: signingInput, encoding: 'utf-8' });
  return `${signingInput}.${signature}`;
}
