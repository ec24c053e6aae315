import { encodeSignedJwt, type JwtSigner } from '../identity/jwt.ts';
import { audienceFor } from '../identity/login-presentation.ts';
import type { GrantRecord } from './grant-record.ts';

/**
 * The consent receipt (DESIGN.md §4): a JWT VC issued by the holder's pairwise DID to
 * the requester, type ConsentReceipt, carrying the grant — parties, purposes,
 * credential types and claim paths, term, limits, the request hash — never a claim
 * value. The requester keeps it as proof of what was agreed; its `exp` is the grant's
 * end, and a receipt past it still proves what was agreed while it ran.
 */
export const CONSENT_RECEIPT_TYPE = 'ConsentReceipt';

export function createConsentReceipt(signer: JwtSigner, grant: GrantRecord): Promise<string> {
  const iat = Math.floor(Date.parse(grant.createdAt) / 1000);
  const exp = grant.expiresAt ? Math.floor(Date.parse(grant.expiresAt) / 1000) : undefined;
  const subject = grant.requester.id ?? audienceFor(grant.requester.origin);
  return encodeSignedJwt(signer, {
    iss: grant.holder.pairwiseDid,
    sub: subject,
    aud: audienceFor(grant.requester.origin),
    iat,
    nbf: iat,
    ...(exp !== undefined ? { exp } : {}),
    jti: `urn:uuid:${grant.receiptId}`,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', CONSENT_RECEIPT_TYPE],
      issuer: grant.holder.pairwiseDid,
      issuanceDate: grant.createdAt,
      ...(grant.expiresAt ? { expirationDate: grant.expiresAt } : {}),
      credentialSubject: {
        id: subject,
        grant: receiptBody(grant),
      },
    },
  });
}

/** What the receipt says of the grant (ISO/IEC TS 27560 header, parties, processing). */
function receiptBody(grant: GrantRecord) {
  return {
    id: grant.id,
    version: grant.version,
    createdAt: grant.createdAt,
    requester: { origin: grant.requester.origin, id: grant.requester.id, verification: grant.requester.verification.status, ...accreditationOf(grant) },
    holder: {
      id: grant.holder.pairwiseDid,
      ...(grant.holder.role ? { role: grant.holder.role } : {}),
      ...(grant.holder.comesOfAgeAt ? { dataSubjectComesOfAgeAt: grant.holder.comesOfAgeAt } : {}),
    },
    purposes: grant.purposes,
    credentials: (grant.access?.credentials ?? []).map((c) => ({ format: c.format, types: c.types, claimPaths: c.claimPaths })),
    expiresAt: grant.expiresAt,
    usageLimit: grant.usageLimit,
    retentionDays: grant.access?.retentionDays ?? null,
    requestHash: grant.requestHash,
  };
}

/** A verified requester's accreditation as the receipt records it: the body, the accreditation and the study. */
function accreditationOf(grant: GrantRecord) {
  const verification = grant.requester.verification;
  if (verification.status !== 'accredited') return {};
  return {
    name: grant.requester.displayName,
    accreditation: {
      id: verification.credentialId,
      issuer: verification.issuer,
      ...(verification.facts?.studyId ? { study: verification.facts.studyId, ethicsApproval: verification.facts.ethicsApproval } : {}),
    },
  };
}
