import { CredentialError } from '../credentials/errors.ts';
import { decodeCompactJwt, isObject, messageOf, verifyIssuerSignature, type DecodedJwt } from '../credentials/formats/jws.ts';
import { verifyJwtVc } from '../credentials/formats/jwt-vc.ts';
import type { CredentialStatus, DidResolver, HolderKeys, VerifiedCredential } from '../credentials/types.ts';
import { hashJson } from '../encoding.ts';
import { ACCREDITATION_TYPE, readAccreditation, type Accreditation, type AccreditedStudy } from './accreditation.ts';
import { chooseStudy } from './accreditation-scope.ts';

/** The longest a requester presentation may be valid (`exp - iat`): it is made for one request. */
export const MAX_REQUESTER_VP_LIFETIME_SECONDS = 10 * 60;
const CLOCK_SKEW_SECONDS = 60;
/** Credentials a requester presentation may carry (only the accreditation is read). */
const MAX_PRESENTED_CREDENTIALS = 4;

export type RequesterCheck =
  | {
      verified: true;
      did: string;
      accreditorDid: string;
      accreditorLabel: string;
      /** The accreditation's `jti`, or a hash of it. */
      credentialId: string;
      accreditation: Accreditation;
      study: AccreditedStudy;
    }
  | { verified: false; did: string | null; reason: string };

export interface RequesterCheckDeps {
  resolver: DidResolver;
  now: number;
  /** The label of an accreditation body on the user's list, or null when it is not on it. */
  accreditorLabel(did: string): Promise<string | null>;
  /** The accreditation's status from its status list (fetched only for a trusted body's credential). */
  statusOf(credential: VerifiedCredential): Promise<CredentialStatus>;
}

export interface CheckedRequest {
  origin: string;
  nonce: string;
  purposes: readonly string[];
  claimPaths: readonly (string | number | null)[][];
}

/**
 * DESIGN.md §8 "check before any window opens": the requester's VP verifies, is for
 * this origin and this request's nonce, and holds an accreditation whose issuer is on
 * the user's accreditation list, whose signature, validity and status hold, whose
 * subject signed the VP and which lists the requesting origin. Every failure is an
 * unverified requester with the first failed check as its reason, never an error:
 * the request still goes to the user, who sees why.
 *
 * The order matters for what a site can make the wallet do: nothing is resolved or
 * fetched for an accreditation whose issuer the user does not trust.
 */
export async function checkRequester(vp: string, request: CheckedRequest, deps: RequesterCheckDeps): Promise<RequesterCheck> {
  let signer: string | null = null;
  try {
    const presentation = decode(vp, "The requester's presentation");
    signer = typeof presentation.payload.iss === 'string' ? presentation.payload.iss : null;
    if (!signer) return unverified(null, "The requester's presentation names no signer (iss).");
    checkBinding(presentation, request, deps.now / 1000);
    await signedBy(presentation, signer, deps.resolver, "The requester's presentation");
    const studyId = typeof presentation.payload.study === 'string' ? presentation.payload.study : null;
    return await accreditationCheck(accreditationOf(presentation), signer, studyId, request, deps);
  } catch (error) {
    return refused(signer, error);
  }
}

/**
 * The accreditation half of the check, for a requester whose signature is already
 * verified: by its VP (above), or as the `client_id` DID of a signed OpenID4VP request
 * that carries the accreditation in `verifier_info`.
 */
export async function checkAccreditation(
  accreditationJwt: string,
  signer: string,
  request: Omit<CheckedRequest, 'nonce'>,
  deps: RequesterCheckDeps,
): Promise<RequesterCheck> {
  try {
    return await accreditationCheck(accreditationJwt, signer, null, request, deps);
  } catch (error) {
    return refused(signer, error);
  }
}

function refused(signer: string | null, error: unknown): RequesterCheck {
  if (error instanceof Refusal) return unverified(signer, error.message);
  if (error instanceof CredentialError) return unverified(signer, error.message.endsWith('.') ? error.message : `${error.message}.`);
  throw error;
}

async function accreditationCheck(
  accreditationJwt: string,
  signer: string,
  studyId: string | null,
  request: Omit<CheckedRequest, 'nonce'>,
  deps: RequesterCheckDeps,
): Promise<RequesterCheck> {
  const credential = decode(accreditationJwt, 'The accreditation');
  const issuer = typeof credential.payload.iss === 'string' ? credential.payload.iss : '';
  const label = issuer ? await deps.accreditorLabel(issuer) : null;
  if (label === null) throw refusal(`The accreditation is issued by ${issuer || 'no one'}, which is not on your list of accreditation bodies.`);
  const verified = await verifyAccreditation(credential, signer, deps);
  if (!verified.types.includes(ACCREDITATION_TYPE)) throw refusal(`The credential presented is not a ${ACCREDITATION_TYPE}.`);
  const status = await deps.statusOf(verified);
  if (status.state === 'revoked' || status.state === 'suspended') throw refusal(`The accreditation was ${status.state} by ${label}.`);
  if (status.state === 'expired') throw refusal(`The accreditation expired (${status.reason ?? 'past its validity'}).`);
  if (status.state === 'unknown') throw refusal(`The accreditation's status could not be checked: ${status.reason ?? 'no answer from its status list'}.`);
  const subject = verified.document.credentialSubject;
  const read = readAccreditation(isObject(subject) ? subject : {});
  if (!read.ok) throw refusal(read.reason);
  const { accreditation } = read;
  if (!accreditation.origins.includes(request.origin)) {
    throw refusal(`The accreditation does not cover this site (${request.origin}); it lists ${accreditation.origins.join(', ')}.`);
  }
  const study = chooseStudy(accreditation.studies, studyId, request);
  if (typeof study === 'string') throw refusal(study);
  if (study.validUntil !== null && study.validUntil <= deps.now) {
    throw refusal(`The approval of study ${study.id} ended on ${new Date(study.validUntil).toISOString().slice(0, 10)}.`);
  }
  const jti = typeof credential.payload.jti === 'string' ? credential.payload.jti : null;
  return {
    verified: true,
    did: signer,
    accreditorDid: issuer,
    accreditorLabel: label,
    credentialId: jti ?? (await hashJson(accreditationJwt)),
    accreditation,
    study,
  };
}

class Refusal extends Error {}
const refusal = (reason: string) => new Refusal(reason);
const unverified = (did: string | null, reason: string): RequesterCheck => ({ verified: false, did, reason });

function decode(jwt: string, what: string): DecodedJwt {
  try {
    return decodeCompactJwt(jwt, what);
  } catch (error) {
    throw refusal(`${what} is not a signed JWT: ${messageOf(error)}`);
  }
}

/** For this site and this request, and short-lived. */
function checkBinding({ payload }: DecodedJwt, request: CheckedRequest, now: number): void {
  const expected = `origin:${request.origin}`;
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected)) throw refusal(`The requester's presentation is for ${String(aud)}, not for this site (${expected}).`);
  if (payload.nonce !== request.nonce) throw refusal("The requester's presentation was made for another request (its nonce differs).");
  const exp = payload.exp;
  const iat = payload.iat;
  if (typeof exp !== 'number') throw refusal("The requester's presentation has no expiry (exp).");
  if (typeof iat !== 'number') throw refusal("The requester's presentation has no issue time (iat).");
  if (iat > now + CLOCK_SKEW_SECONDS) throw refusal("The requester's presentation is dated in the future (iat).");
  if (exp - iat > MAX_REQUESTER_VP_LIFETIME_SECONDS) {
    throw refusal(`The requester's presentation is valid for more than ${MAX_REQUESTER_VP_LIFETIME_SECONDS / 60} minutes (exp − iat).`);
  }
  if (exp <= now - CLOCK_SKEW_SECONDS) throw refusal("The requester's presentation has expired.");
}

async function signedBy(jwt: DecodedJwt, did: string, resolver: DidResolver, what: string): Promise<void> {
  try {
    await verifyIssuerSignature(jwt, did, resolver);
  } catch (error) {
    throw refusal(`${what} is not validly signed by ${did}: ${messageOf(error)}`);
  }
}

/** The one ResearchAccreditation JWT the VP carries. */
function accreditationOf({ payload }: DecodedJwt): string {
  const vp = payload.vp;
  const credentials = isObject(vp) ? vp.verifiableCredential : undefined;
  const list = Array.isArray(credentials) ? credentials : typeof credentials === 'string' ? [credentials] : [];
  if (list.length === 0) throw refusal("The requester's presentation holds no accreditation credential.");
  if (list.length > MAX_PRESENTED_CREDENTIALS) throw refusal(`The requester's presentation holds more than ${MAX_PRESENTED_CREDENTIALS} credentials.`);
  const jwts = list.filter((c): c is string => typeof c === 'string');
  const accreditation = jwts.find((jwt) => {
    try {
      const vc = decodeCompactJwt(jwt).payload.vc;
      return isObject(vc) && Array.isArray(vc.type) && vc.type.includes(ACCREDITATION_TYPE);
    } catch {
      return false;
    }
  });
  if (!accreditation) throw refusal(`The requester's presentation holds no ${ACCREDITATION_TYPE} credential (as a JWT).`);
  return accreditation;
}

/** Signature and validity as for any JWT VC; its subject must be the VP's signer. */
async function verifyAccreditation(credential: DecodedJwt, signer: string, deps: RequesterCheckDeps): Promise<VerifiedCredential> {
  const subjectIsSigner: HolderKeys = {
    byDid: async (did) => (did === signer ? { did, kid: did, keyRef: '' } : null),
    byJwk: async () => null,
  };
  try {
    return await verifyJwtVc(credential, { resolver: deps.resolver, holderKeys: subjectIsSigner, now: deps.now });
  } catch (error) {
    if (error instanceof CredentialError && error.code === 'not_bound') {
      throw refusal(`The accreditation is not for the requester that signed the request (${signer}).`);
    }
    if (error instanceof CredentialError) throw refusal(`The accreditation does not verify: ${error.message}`);
    throw error;
  }
}
