/**
 * Which format a credential is, from its shape and its JWT header `typ`; also splits
 * and decodes it (nothing is verified here).
 */
import { CredentialError } from '../errors.ts';
import { decodeCompactJwt, isObject, mediaType, type DecodedJwt } from './jws.ts';
import { describeValue } from '../../describe.ts';

export type DetectedCredential =
  | { format: 'jwt_vc_json'; jwt: DecodedJwt }
  | { format: 'vc+jwt'; jwt: DecodedJwt }
  /** `disclosures`: the encoded disclosures between the issuer JWT and the final '~'. */
  | { format: 'dc+sd-jwt'; jwt: DecodedJwt; disclosures: string[] };

export const VC_JOSE_TYPES = ['vc+jwt', 'vc+ld+json+jwt'];
export const SD_JWT_VC_TYPES = ['dc+sd-jwt', 'vc+sd-jwt'];
const ACCEPTED = 'Tessera accepts jwt_vc_json (VC-JWT 1.1), vc+jwt (VC 2.0) and dc+sd-jwt (SD-JWT VC)';

/** Detects the format of `raw` (already trimmed) and decodes its JWT. */
export function detectFormat(raw: string): DetectedCredential {
  if (raw === '') throw new CredentialError('malformed', 'The credential is empty');
  if (raw.startsWith('{') || raw.startsWith('[')) {
    throw new CredentialError(
      'unsupported_format',
      `The credential is JSON (e.g. a Data Integrity credential or a JSON-serialized JWS); ${ACCEPTED}, in compact form`,
    );
  }
  if (/\s/.test(raw)) throw new CredentialError('malformed', 'The credential contains whitespace; a compact JWT or SD-JWT has none');

  if (raw.includes('~')) return detectSdJwt(raw);

  const jwt = decodeCompactJwt(raw);
  const typ = mediaType(jwt.header);
  if (typ !== null && VC_JOSE_TYPES.includes(typ)) return { format: 'vc+jwt', jwt };
  if (typ !== null && SD_JWT_VC_TYPES.includes(typ)) {
    throw new CredentialError('malformed', "The SD-JWT VC does not end with '~' (an SD-JWT is <issuer-jwt>~<disclosure>~…~)");
  }
  if (typ !== null && typ !== 'jwt') {
    throw new CredentialError('unsupported_format', `A JWT of type "${describeValue(jwt.header.typ)}" is not a credential format Tessera accepts; ${ACCEPTED}`);
  }
  if (isObject(jwt.payload.vc)) return { format: 'jwt_vc_json', jwt };
  if (jwt.payload.vp !== undefined) {
    throw new CredentialError('unsupported_format', 'This JWT is a verifiable presentation, not a credential');
  }
  if (jwt.payload['@context'] !== undefined) {
    throw new CredentialError('unsupported_format', 'A VC Data Model 2.0 credential must be secured as a JWT with typ "vc+jwt"');
  }
  throw new CredentialError('unsupported_format', "This JWT is not a verifiable credential: it has no 'vc' claim");
}

function detectSdJwt(raw: string): DetectedCredential {
  const parts = raw.split('~');
  const issuerJwt = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const jwt = decodeCompactJwt(issuerJwt, 'The SD-JWT');
  const typ = mediaType(jwt.header);
  if (typ === null) throw new CredentialError('unsupported_format', 'The SD-JWT has no typ; an SD-JWT VC has typ "dc+sd-jwt"');
  if (!SD_JWT_VC_TYPES.includes(typ)) {
    throw new CredentialError(
      'unsupported_format',
      `An SD-JWT of type "${describeValue(jwt.header.typ)}" is not an SD-JWT VC (typ "dc+sd-jwt"); ${ACCEPTED}`,
    );
  }
  if (last !== '') {
    if (last.includes('.')) {
      throw new CredentialError(
        'unsupported_format',
        'This SD-JWT ends in a key-binding JWT, so it is a presentation; offer the credential itself, ending in "~"',
      );
    }
    throw new CredentialError('malformed', "The SD-JWT does not end with '~'");
  }
  const disclosures = parts.slice(1, -1);
  const empty = disclosures.indexOf('');
  if (empty >= 0) throw new CredentialError('malformed', `Disclosure ${empty + 1} of the SD-JWT is empty ('~~')`);
  return { format: 'dc+sd-jwt', jwt, disclosures };
}
