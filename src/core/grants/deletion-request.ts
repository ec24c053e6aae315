import { sha256 } from '@noble/hashes/sha2';
import { toBase64Url, utf8 } from '../encoding.ts';
import { encodeSignedJwt, type JwtSigner } from '../identity/jwt.ts';
import { audienceFor } from '../identity/login-presentation.ts';
import type { GrantRecord } from './grant-record.ts';

/**
 * A request to erase what the requester received under a grant (GDPR Art. 17), signed
 * by the grant's pairwise DID so the requester can check it comes from the person it
 * got the data from. It cites the grant and its receipt (by id and SHA-256 hash).
 */
export function createDeletionRequest(signer: JwtSigner, grant: GrantRecord, now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  return encodeSignedJwt(
    signer,
    {
      iss: grant.holder.pairwiseDid,
      aud: audienceFor(grant.requester.origin),
      iat,
      jti: `urn:uuid:${crypto.randomUUID()}`,
      type: 'DeletionRequest',
      legalBasis: 'GDPR Art. 17',
      grant: {
        id: grant.id,
        createdAt: grant.createdAt,
        purposes: grant.purposes,
        receiptId: grant.receiptId,
        receiptHash: grant.receipt ? toBase64Url(sha256(utf8(grant.receipt))) : null,
      },
    },
    { typ: 'deletion-request+jwt' },
  );
}
