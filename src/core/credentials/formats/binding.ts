/** Holder binding: the wallet key a credential is bound to, or a refusal. */
import { CredentialError } from '../errors.ts';
import type { DidResolver, HolderBinding, HolderKeys } from '../types.ts';
import { isDid, isObject, verifyIssuerSignature, type DecodedJwt } from './jws.ts';

/** What verifying a credential needs: DID resolution, the wallet's keys, and the time (ms). */
export interface CredentialDeps {
  resolver: DidResolver;
  holderKeys: HolderKeys;
  now: number;
  /**
   * Issuers whose signature is checked only when the holder accepts (a did:web a
   * never-connected site's offer names: resolving it is a fetch the site asked for).
   * The credential then comes back with `issuerCheck: 'when-accepted'` and must not be kept.
   */
  deferIssuer?: (issuer: string) => boolean;
}

/** The issuer's signature, unless `deps.deferIssuer` defers it to the holder's acceptance. */
export async function checkIssuerSignature(jwt: DecodedJwt, issuer: string, deps: CredentialDeps): Promise<void> {
  if (deps.deferIssuer?.(issuer) === true) return;
  await verifyIssuerSignature(jwt, issuer, deps.resolver);
}

/** The binding for a subject DID (JWT VC `sub`, VC 2.0 `credentialSubject.id`). */
export async function bindSubjectDid(holderKeys: HolderKeys, subject: string | null): Promise<HolderBinding> {
  if (subject === null) {
    throw new CredentialError(
      'not_bound',
      'The credential names no subject DID (credentialSubject.id), so it cannot be bound to a key of this wallet',
    );
  }
  const binding = isDid(subject) ? await holderKeys.byDid(subject) : null;
  if (!binding) throw new CredentialError('not_bound', `The credential is bound to ${subject}, which this wallet does not hold`);
  return binding;
}

/** The binding for an SD-JWT VC `cnf` claim: `cnf.jwk`, or `cnf.kid` (a DID URL of a wallet DID). */
export async function bindConfirmationKey(holderKeys: HolderKeys, cnf: unknown): Promise<HolderBinding> {
  if (cnf === undefined) {
    throw new CredentialError('not_bound', "The credential has no holder key ('cnf'), so it cannot be bound to this wallet");
  }
  if (!isObject(cnf)) throw new CredentialError('malformed', "The 'cnf' claim is not an object");
  if (cnf.jwk !== undefined) {
    const jwk = cnf.jwk;
    if (!isObject(jwk) || typeof jwk.kty !== 'string') throw new CredentialError('malformed', "'cnf.jwk' is not a JSON Web Key");
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...publicJwk } = jwk;
    const binding = await holderKeys.byJwk(publicJwk as JsonWebKey);
    if (!binding) throw new CredentialError('not_bound', `The credential is bound to the key ${describeJwk(publicJwk)}, which this wallet does not hold`);
    return binding;
  }
  if (cnf.kid !== undefined) {
    const kid = cnf.kid;
    if (typeof kid !== 'string' || !isDid(kid.split('#')[0])) {
      throw new CredentialError('not_bound', "'cnf.kid' is not a DID URL, so the credential cannot be bound to a key of this wallet");
    }
    const did = kid.split('#')[0] as string;
    const binding = await holderKeys.byDid(did);
    if (!binding || (kid.includes('#') && binding.kid !== kid)) {
      throw new CredentialError('not_bound', `The credential is bound to ${kid}, which this wallet does not hold`);
    }
    return binding;
  }
  throw new CredentialError('not_bound', "The credential's 'cnf' names no key (no 'jwk' or 'kid'), so it cannot be bound to this wallet");
}

function describeJwk(jwk: Record<string, unknown>): string {
  const parts = [jwk.kty, jwk.crv].filter((p) => typeof p === 'string').join(' ');
  const x = typeof jwk.x === 'string' ? ` x=${jwk.x}` : typeof jwk.n === 'string' ? ` n=${jwk.n.slice(0, 16)}…` : '';
  return `${parts}${x}`;
}
