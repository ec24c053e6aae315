/**
 * The credential endpoint's proof of possession (OpenID4VCI 1.0 §8.2.1.1, Appendix
 * F.1): a JWT with header `typ: openid4vci-proof+jwt`, an algorithm the metadata
 * lists (EdDSA, ES256), and the holder key named by `kid` (a did:key DID URL) or
 * carried as `jwk` (a public key); payload `aud` = the credential issuer, `iat`
 * recent, `nonce` a fresh c_nonce of ours, and `iss` (when sent) the client id.
 *
 * What comes back is the key the credential is bound to: its did:key (the resident
 * card's subject) and its public JWK (the PID's `cnf.jwk`).
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { p256 } from '@noble/curves/nist';
import { base58 } from '@scure/base';
import { didKeyFromPublicKey, jwkFromDidKey } from './did-key.ts';
import { OAuthError } from './openid4vci-grants.ts';

export const PROOF_TYP = 'openid4vci-proof+jwt';
export const PROOF_ALGS = ['EdDSA', 'ES256'] as const;
/** A proof older than this (or from further in the future than the skew) is refused. */
export const PROOF_MAX_AGE_S = 300;
const CLOCK_SKEW_S = 60;
const P256_MULTICODEC = [0x80, 0x24] as const;

export interface ProofCheck {
  credentialIssuer: string;
  /** Takes a c_nonce: true when it is ours, fresh and unused (it is used up). */
  takeNonce: (nonce: unknown) => boolean;
  /** The access token's client (authorization code flow): `iss`, when present, must be it. */
  clientId?: string;
  now?: () => number;
}

export interface ProvenKey {
  /** did:key of the holder key (Ed25519 z6Mk…, P-256 zDn…). */
  did: string;
  jwk: JWK;
  alg: (typeof PROOF_ALGS)[number];
}

const invalidProof = (description: string) => new OAuthError(400, 'invalid_proof', description);

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidProof(`the proof's ${what} is not a JSON object`);
}

/** The did:key of a public JWK (Ed25519 or P-256), so either naming of the key binds the same way. */
export function didKeyOfJwk(jwk: JWK): string {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') return didKeyFromPublicKey(Buffer.from(jwk.x, 'base64url'));
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    const uncompressed = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    const compressed = p256.ProjectivePoint.fromHex(uncompressed).toRawBytes(true);
    return `did:key:z${base58.encode(new Uint8Array([...P256_MULTICODEC, ...compressed]))}`;
  }
  throw invalidProof('the proof key is neither an Ed25519 nor a P-256 public key');
}

/** The public JWK of an Ed25519 or P-256 did:key DID URL (`did:key:z…#z…`, fragment = the key). */
export function jwkOfDidKeyUrl(kid: string): JWK {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)#(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(kid);
  if (!match || match[1] !== match[2]) throw invalidProof('the proof kid is not a did:key verification method (did:key:z…#z…)');
  const bytes = base58.decode((match[1] as string).slice(1));
  if (bytes[0] === 0xed && bytes[1] === 0x01) return { ...jwkFromDidKey(kid) };
  if (bytes[0] === P256_MULTICODEC[0] && bytes[1] === P256_MULTICODEC[1] && bytes.length === 35) {
    const point = p256.ProjectivePoint.fromHex(bytes.slice(2)).toRawBytes(false);
    const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    return { kty: 'EC', crv: 'P-256', x: b64u(point.slice(1, 33)), y: b64u(point.slice(33)) };
  }
  throw invalidProof('the proof kid is a did:key of a key type the registry does not accept (Ed25519 or P-256)');
}

export async function verifyProofJwt(proof: unknown, check: ProofCheck): Promise<ProvenKey> {
  if (typeof proof !== 'string' || proof.split('.').length !== 3) throw invalidProof('the proof is not a compact JWT');
  const [headerPart, payloadPart] = proof.split('.');
  const header = decodePart(headerPart, 'header');
  const payload = decodePart(payloadPart, 'payload');
  if (header.typ !== PROOF_TYP) throw invalidProof(`the proof's typ must be ${PROOF_TYP}`);
  const alg = header.alg as ProvenKey['alg'];
  if (!PROOF_ALGS.includes(alg)) throw invalidProof(`the proof's alg must be one of ${PROOF_ALGS.join(', ')}`);
  const named = ['kid', 'jwk', 'x5c', 'trust_chain'].filter((k) => header[k] !== undefined);
  if (named.length !== 1 || (named[0] !== 'kid' && named[0] !== 'jwk')) {
    throw invalidProof('the proof must name its key by exactly one of kid (a did:key DID URL) or jwk');
  }
  let jwk: JWK;
  if (typeof header.kid === 'string') {
    jwk = jwkOfDidKeyUrl(header.kid);
  } else {
    const given = header.jwk as JWK | undefined;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw invalidProof("the proof's jwk is not a JWK");
    if ('d' in given) throw invalidProof("the proof's jwk carries a private key");
    jwk = given.kty === 'EC' ? { kty: 'EC', crv: given.crv, x: given.x, y: given.y } : { kty: given.kty, crv: given.crv, x: given.x };
  }
  const did = didKeyOfJwk(jwk);
  const keyAlg = jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
  if (keyAlg !== alg) throw invalidProof(`the proof is signed with ${String(alg)} but its key is for ${keyAlg}`);
  try {
    await compactVerify(proof, await importJWK(jwk, alg), { algorithms: [alg] });
  } catch {
    throw invalidProof('the proof signature does not verify with its key');
  }
  const aud = payload.aud;
  if (aud !== check.credentialIssuer) throw invalidProof(`the proof's aud must be the credential issuer ${check.credentialIssuer}`);
  const now = Math.floor((check.now ?? Date.now)() / 1000);
  const iat = payload.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalidProof('the proof has no iat');
  if (iat > now + CLOCK_SKEW_S || iat < now - PROOF_MAX_AGE_S) throw invalidProof('the proof was not made just now (iat)');
  if (payload.iss !== undefined && (check.clientId === undefined || payload.iss !== check.clientId)) {
    throw invalidProof(check.clientId === undefined ? 'an anonymous pre-authorized proof carries no iss' : `the proof's iss must be the client id ${check.clientId}`);
  }
  // Last, so that a forged or misaddressed proof does not use up the holder's nonce.
  if (!check.takeNonce(payload.nonce)) throw new OAuthError(400, 'invalid_nonce', 'the proof nonce is missing, not ours, expired or already used; get a fresh one at the nonce endpoint');
  return { did, jwk, alg };
}
