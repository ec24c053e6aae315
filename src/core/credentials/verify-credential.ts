/**
 * Accepting a credential (DESIGN.md §4): detect its format, verify the issuer's
 * signature against the issuer DID, check its validity period, and bind it to a key
 * the wallet holds. Either everything holds and a VerifiedCredential is returned, or a
 * CredentialError says precisely why not; nothing is partially accepted.
 */
import { detectFormat } from './formats/detect.ts';
import type { CredentialDeps } from './formats/binding.ts';
import { messageOf } from './formats/jws.ts';
import { verifyJwtVc } from './formats/jwt-vc.ts';
import { verifySdJwtVc } from './formats/sd-jwt-vc.ts';
import { verifyVcJose } from './formats/vc-jose.ts';
import { CredentialError } from './errors.ts';
import { MAX_CREDENTIAL_LENGTH, type VerifiedCredential } from './types.ts';

export type { CredentialDeps } from './formats/binding.ts';

/**
 * Verifies an offered credential: `jwt_vc_json` (VC-JWT 1.1), `vc+jwt` (VC 2.0 with
 * VC-JOSE-COSE) or `dc+sd-jwt` (SD-JWT VC). `deps.now` is the time in milliseconds;
 * 60 s of clock skew is allowed. Throws CredentialError.
 */
export async function verifyCredential(raw: string, deps: CredentialDeps): Promise<VerifiedCredential> {
  if (typeof raw !== 'string') throw new CredentialError('malformed', 'The credential is not a string');
  if (raw.length > MAX_CREDENTIAL_LENGTH) {
    throw new CredentialError(
      'too_large',
      `The credential is ${raw.length} characters long; Tessera accepts at most ${MAX_CREDENTIAL_LENGTH}`,
    );
  }
  try {
    const verified = await verifyDetected(raw, deps);
    return deps.deferIssuer?.(verified.issuer) === true ? { ...verified, issuerCheck: 'when-accepted' } : verified;
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    throw new CredentialError('malformed', `The credential could not be read: ${messageOf(error)}`);
  }
}

async function verifyDetected(raw: string, deps: CredentialDeps): Promise<VerifiedCredential> {
  const detected = detectFormat(raw.trim());
  switch (detected.format) {
    case 'jwt_vc_json':
      return verifyJwtVc(detected.jwt, deps);
    case 'vc+jwt':
      return verifyVcJose(detected.jwt, deps);
    case 'dc+sd-jwt':
      return verifySdJwtVc(detected.jwt, detected.disclosures, deps);
  }
}
