/**
 * `jwt_vc_json`: a W3C VC Data Model 1.1 credential as a JWT (VC-JWT 1.1): the `vc`
 * claim holds the credential, the JWT claims hold the issuer, subject and dates.
 */
import { CredentialError } from '../errors.ts';
import type { ClaimEntry, VerifiedCredential } from '../types.ts';
import { bindSubjectDid, checkIssuerSignature, type CredentialDeps } from './binding.ts';
import { flattenClaims } from './claims.ts';
import { isObject, type DecodedJwt, type JsonObject } from './jws.ts';
import { bitstringStatusRefs } from './status-refs.ts';
import { checkValidityPeriod, dateTime, isoOrNull, numericDate } from './validity.ts';
import { credentialTypes, firstContext, issuerIdOf, optionalString, singleSubject, VCDM1_CONTEXT, VCDM2_CONTEXT } from './w3c.ts';
import { CREDENTIAL_ENVELOPE, credentialClaims, JWT_ENVELOPE_CLAIMS } from './w3c.ts';

/** Verifies a VC-JWT 1.1 (`typ` JWT or absent, payload with `vc`). */
export async function verifyJwtVc(jwt: DecodedJwt, deps: CredentialDeps): Promise<VerifiedCredential> {
  const { payload } = jwt;
  const vc = payload.vc;
  if (!isObject(vc)) throw new CredentialError('malformed', "The JWT has no 'vc' claim holding the credential");

  const context = firstContext(vc['@context'], 'vc.');
  if (context === VCDM2_CONTEXT) {
    throw new CredentialError(
      'unsupported_format',
      'A VC Data Model 2.0 credential must be secured as a JWT with typ "vc+jwt", not inside a \'vc\' claim',
    );
  }
  if (context !== VCDM1_CONTEXT) throw new CredentialError('malformed', `vc.@context does not start with ${VCDM1_CONTEXT}`);

  const iss = optionalString(payload.iss, 'iss');
  if (iss === null) throw new CredentialError('malformed', "The JWT has no 'iss' (the issuer)");
  const vcIssuer = issuerIdOf(vc.issuer, 'vc.');
  if (vcIssuer !== null && vcIssuer !== iss) {
    throw new CredentialError('malformed', `vc.issuer (${vcIssuer}) differs from the JWT issuer 'iss' (${iss})`);
  }

  await checkIssuerSignature(jwt, iss, deps);

  const types = credentialTypes(vc.type, 'vc.');
  const subject = singleSubject(vc.credentialSubject, 'vc.');
  const sub = optionalString(payload.sub, 'sub');
  const subjectId = optionalString(subject.id, 'vc.credentialSubject.id');
  if (sub !== null && subjectId !== null && sub !== subjectId) {
    throw new CredentialError('malformed', `The JWT subject 'sub' (${sub}) differs from vc.credentialSubject.id (${subjectId})`);
  }
  const holderDid = sub ?? subjectId;

  const iat = numericDate(payload.iat, 'iat');
  const validFrom = numericDate(payload.nbf, 'nbf') ?? dateTime(vc.issuanceDate, 'vc.issuanceDate');
  const validUntil = numericDate(payload.exp, 'exp') ?? dateTime(vc.expirationDate, 'vc.expirationDate');
  checkValidityPeriod({ notBefore: validFrom, notAfter: validUntil }, deps.now);

  // The credential as VC-JWT 1.1 decodes it: JWT claims set issuer, subject id, id and dates.
  const document: JsonObject = { ...vc, issuer: isObject(vc.issuer) ? { id: iss, ...vc.issuer } : iss };
  document.credentialSubject = holderDid === null ? { ...subject } : { id: holderDid, ...subject };
  const jti = optionalString(payload.jti, 'jti');
  if (jti !== null) document.id = jti;
  if (validFrom !== null) document.issuanceDate = isoOrNull(validFrom);
  if (validUntil !== null) document.expirationDate = isoOrNull(validUntil);

  const status = bitstringStatusRefs(document.credentialStatus);
  const holder = await bindSubjectDid(deps.holderKeys, holderDid);
  return {
    format: 'jwt_vc_json',
    raw: jwt.compact,
    issuer: iss,
    types,
    vct: null,
    document,
    claims: [...credentialClaims(document, CREDENTIAL_ENVELOPE), ...jwtClaimsBesideVc(payload, document)],
    issuedAt: isoOrNull(iat ?? validFrom),
    validFrom: isoOrNull(validFrom),
    validUntil: isoOrNull(validUntil),
    status,
    holder,
  };
}

/**
 * JWT claims beside `vc` that are not envelope (e.g. `aud`, `cnf`, a custom claim):
 * they leave with the JWT, so they are listed too, rooted at their own name. One that
 * shares its name with a member of the credential is refused: its path would be the
 * same as that member's, so the consent window could not show the two apart.
 */
function jwtClaimsBesideVc(payload: JsonObject, document: JsonObject): ClaimEntry[] {
  const beside: JsonObject = {};
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'vc' || JWT_ENVELOPE_CLAIMS.includes(name)) continue;
    if (Object.hasOwn(document, name)) {
      throw new CredentialError('malformed', `The JWT claim '${name}' beside 'vc' clashes with the credential's own member '${name}'`);
    }
    beside[name] = value;
  }
  return flattenClaims(beside);
}
