/**
 * `dc+sd-jwt`: an SD-JWT VC (IETF SD-JWT VC over SD-JWT, RFC 9901), offered as
 * `<issuer-jwt>~<disclosure>~…~` without a key-binding JWT.
 *
 * Disclosures are processed here rather than with @sd-jwt/core: its `unpack` (0.19)
 * silently ignores a disclosure whose digest is not in the payload and lets a
 * disclosure replace a claim the issuer signed in the clear, both of which RFC 9901
 * §7.1 requires refusing; and SDJwtVcInstance.verify fetches the status list over the
 * network. The signature is checked with jose like the other formats.
 */
import { sha256, toBase64Url } from '../../encoding.ts';
import { CredentialError } from '../errors.ts';
import type { VerifiedCredential } from '../types.ts';
import { bindConfirmationKey, checkIssuerSignature, type CredentialDeps } from './binding.ts';
import { detectFormat } from './detect.ts';
import { flattenClaims, pathKey, type ClaimPath } from './claims.ts';
import { decodeBase64UrlJson, isObject, type DecodedJwt, type JsonObject } from './jws.ts';
import { tokenStatusRefs } from './status-refs.ts';
import { checkValidityPeriod, isoOrNull, numericDate } from './validity.ts';
import { optionalString } from './w3c.ts';

/** One disclosure, decoded and placed in the document. */
export interface SdJwtDisclosure {
  /** As it appears between '~'. */
  encoded: string;
  /** base64url SHA-256 of `encoded`, as the payload references it. */
  digest: string;
  salt: string;
  /** The property name, or null for an array element. */
  name: string | null;
  /** The disclosed value, as the document holds it (nested disclosures applied). */
  value: unknown;
  /** Where the value sits in the document, as a DCQL claim path. */
  path: ClaimPath;
}

export interface UnpackedSdJwt {
  /** The payload with every disclosure applied: no `_sd`, `_sd_alg`, or `...` entries. */
  document: JsonObject;
  /** In the order they appear in the SD-JWT. */
  disclosures: SdJwtDisclosure[];
}

/** Claims of the SD-JWT VC that are about the credential, not the holder (not listed as claims). */
export const SD_JWT_VC_META_CLAIMS = ['iss', 'iat', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status', '_sd_alg'];
/** Claims SD-JWT VC forbids disclosing selectively. */
const NEVER_DISCLOSED = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status'];
const MAX_DEPTH = 64;

/** Verifies an SD-JWT VC (format already detected: `typ` dc+sd-jwt, no key-binding JWT). */
export async function verifySdJwtVc(jwt: DecodedJwt, encodedDisclosures: string[], deps: CredentialDeps): Promise<VerifiedCredential> {
  const { payload } = jwt;
  const iss = optionalString(payload.iss, 'iss');
  if (iss === null) throw new CredentialError('malformed', "The SD-JWT VC has no 'iss' (the issuer)");

  await checkIssuerSignature(jwt, iss, deps);

  const { document, disclosures } = await unpackSdJwt(payload, encodedDisclosures);
  for (const disclosure of disclosures) {
    const [top] = disclosure.path;
    if (disclosure.path.length === 1 && typeof top === 'string' && NEVER_DISCLOSED.includes(top)) {
      throw new CredentialError('malformed', `The claim '${top}' must not be selectively disclosable in an SD-JWT VC`);
    }
  }

  const vct = payload.vct;
  if (typeof vct !== 'string' || vct === '') throw new CredentialError('malformed', "The SD-JWT VC has no 'vct' (credential type)");

  const iat = numericDate(document.iat, 'iat');
  const nbf = numericDate(payload.nbf, 'nbf');
  const exp = numericDate(payload.exp, 'exp');
  checkValidityPeriod({ notBefore: nbf, notAfter: exp }, deps.now);

  const status = tokenStatusRefs(payload.status);
  const holder = await bindConfirmationKey(deps.holderKeys, payload.cnf);

  const disclosedPaths = new Set(disclosures.map((d) => pathKey(d.path)));
  const userClaims = Object.fromEntries(Object.entries(document).filter(([name]) => !SD_JWT_VC_META_CLAIMS.includes(name)));
  return {
    format: 'dc+sd-jwt',
    raw: `${jwt.compact}~${encodedDisclosures.map((d) => `${d}~`).join('')}`,
    issuer: iss,
    types: [vct],
    vct,
    document,
    claims: flattenClaims(userClaims, [], (path) => disclosedPaths.has(pathKey(path))),
    issuedAt: isoOrNull(iat),
    validFrom: isoOrNull(nbf),
    validUntil: isoOrNull(exp),
    status,
    holder,
  };
}

/**
 * Reads an SD-JWT VC the wallet already verified (a stored `raw`): its issuer JWT and
 * each disclosure with the document path it discloses, e.g. to choose the disclosures
 * of a presentation. Checks the structure again but not the signature.
 */
export async function readSdJwt(raw: string): Promise<UnpackedSdJwt & { issuerJwt: string }> {
  const detected = detectFormat(raw);
  if (detected.format !== 'dc+sd-jwt') throw new CredentialError('unsupported_format', `This is a ${detected.format} credential, not an SD-JWT VC`);
  return { issuerJwt: detected.jwt.compact, ...(await unpackSdJwt(detected.jwt.payload, detected.disclosures)) };
}

/**
 * Applies disclosures to an issuer-signed SD-JWT payload (RFC 9901 §7.1): every
 * disclosure must be referenced exactly once, no digest may repeat, an object
 * disclosure must not name a claim that is already there, and digests that match no
 * disclosure (decoys, withheld claims) are dropped. Only `sha-256` is supported.
 */
export async function unpackSdJwt(payload: JsonObject, encodedDisclosures: string[]): Promise<UnpackedSdJwt> {
  const alg = payload._sd_alg ?? 'sha-256';
  if (alg !== 'sha-256') {
    throw new CredentialError('unsupported_format', `The SD-JWT uses the digest algorithm ${String(alg)}; Tessera supports sha-256`);
  }

  const disclosures: SdJwtDisclosure[] = [];
  const byDigest = new Map<string, { disclosure: SdJwtDisclosure; number: number }>();
  for (const [i, encoded] of encodedDisclosures.entries()) {
    const disclosure = await decodeDisclosure(encoded, i + 1);
    if (byDigest.has(disclosure.digest)) {
      throw new CredentialError('malformed', `Disclosure ${i + 1} repeats disclosure ${byDigest.get(disclosure.digest)?.number}`);
    }
    byDigest.set(disclosure.digest, { disclosure, number: i + 1 });
    disclosures.push(disclosure);
  }

  const seen = new Set<string>();
  const used = new Set<string>();
  const reference = (digest: unknown): SdJwtDisclosure | null => {
    if (typeof digest !== 'string') throw new CredentialError('malformed', 'The SD-JWT payload has a digest that is not a string');
    if (seen.has(digest)) throw new CredentialError('malformed', `The digest ${digest} appears more than once in the SD-JWT`);
    seen.add(digest);
    const found = byDigest.get(digest);
    if (!found) return null;
    used.add(digest);
    return found.disclosure;
  };
  const describe = (d: SdJwtDisclosure) => `Disclosure ${byDigest.get(d.digest)?.number}${d.name === null ? '' : ` ('${d.name}')`}`;

  const walk = (node: unknown, path: ClaimPath): unknown => {
    if (path.length > MAX_DEPTH) throw new CredentialError('malformed', 'The SD-JWT payload is nested too deeply');
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const item of node) {
        if (isObject(item) && Object.keys(item).length === 1 && '...' in item) {
          const disclosure = reference(item['...']);
          if (!disclosure) continue;
          if (disclosure.name !== null) {
            throw new CredentialError('malformed', `${describe(disclosure)} discloses a property, but the payload lists it as an array element`);
          }
          disclosure.path = [...path, out.length];
          disclosure.value = walk(disclosure.value, disclosure.path);
          out.push(disclosure.value);
        } else {
          out.push(walk(item, [...path, out.length]));
        }
      }
      return out;
    }
    if (!isObject(node)) return node;

    const out: JsonObject = {};
    for (const [name, value] of Object.entries(node)) {
      if (name === '_sd' || (path.length === 0 && name === '_sd_alg')) continue;
      define(out, name, walk(value, [...path, name]));
    }
    const digests = node._sd;
    if (digests === undefined) return out;
    if (!Array.isArray(digests)) throw new CredentialError('malformed', `'_sd' in the SD-JWT payload is not a list of digests`);
    for (const digest of digests) {
      const disclosure = reference(digest);
      if (!disclosure) continue;
      if (disclosure.name === null) {
        throw new CredentialError('malformed', `${describe(disclosure)} discloses an array element, but the payload lists it as a property`);
      }
      if (Object.hasOwn(out, disclosure.name)) {
        throw new CredentialError('malformed', `${describe(disclosure)} discloses a claim that the credential already contains`);
      }
      disclosure.path = [...path, disclosure.name];
      disclosure.value = walk(disclosure.value, disclosure.path);
      define(out, disclosure.name, disclosure.value);
    }
    return out;
  };

  const document = walk(payload, []) as JsonObject;
  const unused = disclosures.find((d) => !used.has(d.digest));
  if (unused) {
    throw new CredentialError(
      'bad_signature',
      `${describe(unused)} is not part of the credential: its digest is not in the payload the issuer signed`,
    );
  }
  return { document, disclosures };
}

async function decodeDisclosure(encoded: string, number: number): Promise<SdJwtDisclosure> {
  const what = `Disclosure ${number}`;
  const decoded = decodeBase64UrlJson(encoded, what);
  if (!Array.isArray(decoded) || (decoded.length !== 2 && decoded.length !== 3)) {
    throw new CredentialError('malformed', `${what} is not a [salt, name, value] or [salt, value] array`);
  }
  const [salt] = decoded;
  if (typeof salt !== 'string') throw new CredentialError('malformed', `${what} has no salt string`);
  let name: string | null = null;
  if (decoded.length === 3) {
    if (typeof decoded[1] !== 'string') throw new CredentialError('malformed', `${what} has a claim name that is not a string`);
    name = decoded[1];
    if (name === '_sd' || name === '...') throw new CredentialError('malformed', `${what} uses the reserved claim name '${name}'`);
  }
  const digest = toBase64Url(await sha256(encoded));
  return { encoded, digest, salt, name, value: decoded[decoded.length - 1], path: [] };
}

/** Sets an own property, also for names such as `__proto__`. */
function define(target: JsonObject, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
