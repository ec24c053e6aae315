import { base58 } from '@scure/base';
import { toBase64Url } from '../encoding.ts';
import { CredentialError } from './errors.ts';
import type { DidResolver, VerificationMethod } from './types.ts';

/** A verification method's public key as a JWK, with the method's id. */
export interface ResolvedKey {
  kid: string;
  jwk: JsonWebKey;
}

const ED25519_MULTICODEC = [0xed, 0x01];
const P256_MULTICODEC = [0x80, 0x24];

/**
 * The public key an issuer (or a verifier's `client_id`) signs with: the DID's
 * verification method named by `kid` (a DID URL or a bare fragment), or its first
 * assertion method when there is no `kid`. Refuses a `kid` of another DID. With
 * `relationship: 'assertionMethod'` (credentials and status lists) the method must
 * also be one the DID authorises to make assertions, so a key listed only for, say,
 * authentication or key agreement cannot issue; without a `kid` that means the DID
 * must have an assertion method (no fallback to its first verification method). A
 * method that publishes private key material is refused: anyone can sign with it.
 */
export async function resolveSigningKey(
  resolver: DidResolver,
  did: string,
  kid?: string | null,
  options: { relationship?: 'assertionMethod' } = {},
): Promise<ResolvedKey> {
  if (!/^did:[a-z0-9]+:\S+$/.test(did)) throw new CredentialError('malformed', `'${did}' is not a DID`);
  const { didDocument, didResolutionMetadata } = await resolver.resolve(did);
  if (!didDocument) {
    throw new CredentialError('unresolvable_issuer', `Cannot resolve ${did}: ${didResolutionMetadata.error ?? 'no DID document'}`);
  }
  const methods = didDocument.verificationMethod ?? [];
  const byId = (id: string) => methods.find((m) => m.id === id || `${did}${m.id}` === id);
  let method: VerificationMethod | undefined;
  if (kid) {
    const fullKid = kid.startsWith('#') ? `${did}${kid}` : kid;
    if (!fullKid.startsWith(`${did}#`)) throw new CredentialError('bad_signature', `The key ${kid} does not belong to ${did}`);
    method = byId(fullKid);
    if (!method) throw new CredentialError('bad_signature', `${did} has no verification method ${kid}`);
    if (options.relationship === 'assertionMethod' && !authorises(didDocument.assertionMethod, did, fullKid)) {
      throw new CredentialError('bad_signature', `${kid} is not an assertion method of ${did}, so it cannot sign credentials`);
    }
  } else {
    const first = didDocument.assertionMethod?.[0];
    if (first === undefined && options.relationship === 'assertionMethod') {
      throw new CredentialError('bad_signature', `${did} has no assertion method, so it cannot sign credentials`);
    }
    method = typeof first === 'string' ? byId(first) : (first ?? methods[0]);
    if (!method) throw new CredentialError('unresolvable_issuer', `${did} has no verification method`);
  }
  return { kid: method.id.startsWith('#') ? `${did}${method.id}` : method.id, jwk: methodJwk(method) };
}

/** A verification method's key as a JWK (JsonWebKey, Multikey, Ed25519 2018/2020 forms). */
export function methodJwk(method: VerificationMethod): JsonWebKey {
  if (method.publicKeyJwk) return publicOnly(method.publicKeyJwk, method.id);
  if (method.publicKeyMultibase) {
    const value = method.publicKeyMultibase;
    if (!value.startsWith('z')) throw new CredentialError('unresolvable_issuer', `Unsupported multibase key in ${method.id}`);
    const bytes = base58.decode(value.slice(1));
    if (startsWith(bytes, ED25519_MULTICODEC) && bytes.length === 34) return ed25519Jwk(bytes.subarray(2));
    if (bytes.length === 32 && method.type.startsWith('Ed25519')) return ed25519Jwk(bytes);
    if (startsWith(bytes, P256_MULTICODEC)) {
      throw new CredentialError('unresolvable_issuer', `Compressed P-256 keys are not supported (${method.id}); publish a JWK`);
    }
    throw new CredentialError('unresolvable_issuer', `Unsupported key type in ${method.id}`);
  }
  if (method.publicKeyBase58 && method.type.startsWith('Ed25519')) return ed25519Jwk(base58.decode(method.publicKeyBase58));
  if (method.publicKeyHex && method.type.startsWith('Ed25519') && method.publicKeyHex.length === 64) {
    return ed25519Jwk(Uint8Array.from(method.publicKeyHex.match(/../g) ?? [], (h) => parseInt(h, 16)));
  }
  throw new CredentialError('unresolvable_issuer', `Unsupported verification method ${method.id} (${method.type})`);
}

/** Whether a verification relationship lists the method (by reference or embedded). */
function authorises(relationship: (string | VerificationMethod)[] | undefined, did: string, kid: string): boolean {
  return (relationship ?? []).some((entry) => {
    const id = typeof entry === 'string' ? entry : entry.id;
    return id === kid || `${did}${id}` === kid;
  });
}

const ed25519Jwk = (publicKey: Uint8Array): JsonWebKey => ({ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(publicKey) });

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** JWK members that hold private or secret key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The private or secret members a JWK carries (none for a public key). */
export const privateMembers = (jwk: object): string[] => PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);

/** The JWK, if it is a public key: one that carries private members (or is symmetric) is refused. */
function publicOnly(jwk: JsonWebKey, id: string): JsonWebKey {
  const secret = privateMembers(jwk);
  if (secret.length > 0 || jwk.kty === 'oct') {
    throw new CredentialError('bad_signature', `${id} publishes private key material (${secret.join(', ') || 'a symmetric key'}), so anyone can sign with it`);
  }
  return jwk;
}
