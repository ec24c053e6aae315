/**
 * `vc+jwt`: a W3C VC Data Model 2.0 credential secured as a JWT (VC-JOSE-COSE): the
 * JWT payload is the credential itself.
 */
import { CredentialError } from '../errors.ts';
import type { VerifiedCredential } from '../types.ts';
import { bindSubjectDid, checkIssuerSignature, type CredentialDeps } from './binding.ts';
import { mediaType, type DecodedJwt } from './jws.ts';
import { bitstringStatusRefs } from './status-refs.ts';
import { checkValidityPeriod, dateTime, earliest, isoOrNull, latest, numericDate } from './validity.ts';
import { credentialTypes, firstContext, issuerIdOf, optionalString, singleSubject, VCDM1_CONTEXT, VCDM2_CONTEXT } from './w3c.ts';
import { CREDENTIAL_ENVELOPE, credentialClaims, JWT_ENVELOPE_CLAIMS } from './w3c.ts';

const CONTENT_TYPES = ['vc', 'vc+ld+json'];

/** Verifies a VC 2.0 credential secured as `vc+jwt` (header `typ` already checked). */
export async function verifyVcJose(jwt: DecodedJwt, deps: CredentialDeps): Promise<VerifiedCredential> {
  const { payload } = jwt;
  const cty = mediaType(jwt.header, 'cty');
  if (cty !== null && !CONTENT_TYPES.includes(cty)) {
    throw new CredentialError('unsupported_format', `A vc+jwt credential with content type (cty) "${String(jwt.header.cty)}" is not supported`);
  }
  const context = firstContext(payload['@context'], '');
  if (context === VCDM1_CONTEXT) {
    throw new CredentialError(
      'unsupported_format',
      'A vc+jwt credential must use VC Data Model 2.0; a 1.1 credential is secured as a VC-JWT (jwt_vc_json)',
    );
  }
  if (context !== VCDM2_CONTEXT) throw new CredentialError('malformed', `@context does not start with ${VCDM2_CONTEXT}`);

  const issuer = issuerIdOf(payload.issuer, '');
  if (issuer === null) throw new CredentialError('malformed', "The credential names no issuer ('issuer' or 'issuer.id')");
  const iss = optionalString(payload.iss, 'iss');
  if (iss !== null && iss !== issuer) {
    throw new CredentialError('malformed', `The JWT issuer 'iss' (${iss}) differs from the credential issuer (${issuer})`);
  }

  await checkIssuerSignature(jwt, issuer, deps);

  const types = credentialTypes(payload.type, '');
  const subject = singleSubject(payload.credentialSubject, '');
  const subjectId = optionalString(subject.id, 'credentialSubject.id');
  const sub = optionalString(payload.sub, 'sub');
  if (sub !== null && subjectId !== null && sub !== subjectId) {
    throw new CredentialError('malformed', `The JWT subject 'sub' (${sub}) differs from credentialSubject.id (${subjectId})`);
  }

  const iat = numericDate(payload.iat, 'iat');
  const validFrom = dateTime(payload.validFrom, 'validFrom');
  const validUntil = dateTime(payload.validUntil, 'validUntil');
  const nbf = numericDate(payload.nbf, 'nbf');
  const exp = numericDate(payload.exp, 'exp');
  checkValidityPeriod({ notBefore: latest(validFrom, nbf), notAfter: earliest(validUntil, exp) }, deps.now);

  const status = bitstringStatusRefs(payload.credentialStatus);
  const holder = await bindSubjectDid(deps.holderKeys, subjectId ?? sub);
  const document = { ...payload };
  return {
    format: 'vc+jwt',
    raw: jwt.compact,
    issuer,
    types,
    vct: null,
    document,
    // The payload is the credential: JWT claims beside its members are envelope or listed.
    claims: credentialClaims(document, [...CREDENTIAL_ENVELOPE, ...JWT_ENVELOPE_CLAIMS]),
    issuedAt: isoOrNull(iat),
    validFrom: isoOrNull(validFrom ?? nbf),
    validUntil: isoOrNull(validUntil ?? exp),
    status,
    holder,
  };
}
