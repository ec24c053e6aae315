/**
 * How the Aldmere city-services site checks what a wallet sends it through the
 * Digital Credentials API, with libraries the wallet does not share:
 *
 * - the response shape against the request: `@openid4vc/openid4vp`
 *   (`validateOpenid4vpAuthorizationResponsePayload`, one presentation list per DCQL query id);
 * - `dc+sd-jwt`: `@sd-jwt/sd-jwt-vc` — issuer signature (key from the issuer's DID
 *   through `key-did-resolver`), disclosures, key binding by the credential's `cnf.jwk`,
 *   `nonce`, `sd_hash`, and the IETF Token Status List; `aud` must be `origin:<origin>`;
 * - `jwt_vc_json`: `did-jwt-vc` — `verifyPresentation` (holder signature, `aud`/domain,
 *   nonce/challenge), `verifyCredential` for each credential inside (issuer signature,
 *   subject = presenter), and the W3C Bitstring Status List (itself a VC verified with
 *   `did-jwt-vc`).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { verifyCredential, verifyPresentation } from 'did-jwt-vc';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import { validateOpenid4vpAuthorizationResponsePayload } from '@openid4vc/openid4vp';
import { base58 } from '@scure/base';
import { audienceFor, decodeJwtHeader, decodeJwtPayload, didKeyResolver } from '../verify.ts';
import { verifyEd25519, type OkpJwk } from '../registry/did-key.ts';

/** How far a key-binding JWT's `iat` may be from now (seconds). */
const KB_MAX_AGE_S = 5 * 60;

export interface PresentationCheck {
  /** The page origin the presentation must be bound to (aud = origin:<origin>). */
  origin: string;
  /** The nonce of the request it answers. */
  nonce: string;
  /** When given, the issuer must be one of these DIDs. */
  trustedIssuers?: string[];
}

export interface VerifiedPresentationResult {
  format: 'dc+sd-jwt' | 'jwt_vc_json';
  issuer: string;
  /** The presenter: the holder DID (JWT VC) or the thumbprint-less `cnf` key (SD-JWT VC). */
  holder: string;
  /** `vct` (SD-JWT VC) or the VC types (JWT VC). */
  types: string[];
  /** The claims the site received, as plain JSON (SD-JWT: only the disclosed ones). */
  claims: Record<string, unknown>;
  audience: string;
  nonce: string;
  status: 'valid' | 'not-checked';
}

const RESERVED_SD_JWT_CLAIMS = new Set(['iss', 'iat', 'nbf', 'exp', 'vct', 'vct#integrity', 'cnf', 'status', 'sub', 'jti', '_sd_alg', '_sd']);

/** The Ed25519 key of verification method `kid` of `did`, resolved with key-did-resolver. */
export async function issuerKey(did: string, kid: unknown): Promise<KeyObject> {
  if (typeof kid !== 'string' || kid === '') throw new Error('the JWT header has no kid');
  const vmId = kid.startsWith('#') ? `${did}${kid}` : kid;
  if (!vmId.startsWith(`${did}#`)) throw new Error(`kid ${kid} is not a verification method of ${did}`);
  const { didDocument, didResolutionMetadata } = await didKeyResolver.resolve(did);
  if (!didDocument) throw new Error(`cannot resolve ${did}: ${didResolutionMetadata.error ?? 'unknown error'}`);
  const method = didDocument.verificationMethod?.find((vm) => vm.id === vmId || `${did}${vm.id}` === vmId);
  if (!method) throw new Error(`${did} has no verification method ${vmId}`);
  const assertion = didDocument.assertionMethod ?? [];
  if (!assertion.some((a) => (typeof a === 'string' ? a : a.id) === method.id)) {
    throw new Error(`${vmId} is not an assertion method of ${did}`);
  }
  if (method.publicKeyJwk) return createPublicKey({ key: method.publicKeyJwk as Record<string, string>, format: 'jwk' });
  let raw: Uint8Array | undefined;
  if (method.publicKeyBase58) raw = base58.decode(method.publicKeyBase58);
  else if (method.publicKeyMultibase?.startsWith('z')) raw = base58.decode(method.publicKeyMultibase.slice(1)).slice(2);
  if (!raw || raw.length !== 32) throw new Error(`${vmId} is not an Ed25519 key`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

function checkTrusted(issuer: string, trustedIssuers: string[] | undefined): void {
  if (trustedIssuers && !trustedIssuers.includes(issuer)) throw new Error(`the issuer ${issuer} is not one the city trusts`);
}

/** Verifies an SD-JWT VC presentation (`<issuer-jwt>~<disclosures>~<kb-jwt>`). */
export async function verifySdJwtPresentation(presentation: string, check: PresentationCheck): Promise<VerifiedPresentationResult> {
  const issuerJwt = presentation.split('~')[0] ?? '';
  const header = decodeJwtHeader(issuerJwt);
  const payload = decodeJwtPayload(issuerJwt);
  if (header.typ !== 'dc+sd-jwt' && header.typ !== 'vc+sd-jwt') throw new Error(`not an SD-JWT VC (typ ${String(header.typ)})`);
  if (presentation.endsWith('~')) throw new Error('the presentation has no key-binding JWT');
  const issuer = payload.iss;
  if (typeof issuer !== 'string') throw new Error('the SD-JWT VC names no issuer');
  checkTrusted(issuer, check.trustedIssuers);
  const key = await issuerKey(issuer, header.kid);

  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    verifier: (data: string, signature: string) => verifyEd25519(data, signature, key),
    kbVerifier: (data: string, signature: string, credentialPayload: Record<string, unknown>) => {
      const jwk = (credentialPayload.cnf as { jwk?: OkpJwk } | undefined)?.jwk;
      if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return false;
      return verifyEd25519(data, signature, jwk);
    },
    statusListFetcher: async (uri: string) => {
      const response = await fetch(uri, { headers: { accept: 'application/statuslist+jwt' } });
      if (!response.ok) throw new Error(`status list ${uri}: HTTP ${response.status}`);
      return await response.text();
    },
    statusValidator: async (status: number) => {
      if (status !== 0) throw new Error(status === 1 ? 'the credential has been revoked by its issuer' : `the credential's status is ${status}`);
    },
  });
  // verify() also fetches the Token Status List named in `status` and checks our entry.
  const result = await sdjwt.verify(presentation, { keyBindingNonce: check.nonce });
  if (!result.kb) throw new Error('the presentation has no key-binding JWT');
  const kb = result.kb.payload as Record<string, unknown>;
  const audience = audienceFor(check.origin);
  if (kb.aud !== audience) throw new Error(`key-binding aud is ${JSON.stringify(kb.aud)}, expected ${audience}`);
  const iat = typeof kb.iat === 'number' ? kb.iat : NaN;
  if (!(Math.abs(Date.now() / 1000 - iat) <= KB_MAX_AGE_S)) throw new Error('the key-binding JWT is not fresh (iat)');

  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result.payload as Record<string, unknown>)) {
    if (!RESERVED_SD_JWT_CLAIMS.has(name)) claims[name] = value;
  }
  const jwk = (payload.cnf as { jwk?: OkpJwk } | undefined)?.jwk;
  return {
    format: 'dc+sd-jwt',
    issuer,
    holder: jwk ? `jwk:${jwk.x}` : 'unknown',
    types: typeof payload.vct === 'string' ? [payload.vct] : [],
    claims,
    audience,
    nonce: check.nonce,
    status: payload.status ? 'valid' : 'not-checked',
  };
}

/** The bit of a W3C Bitstring Status List entry, read from its (verified) list credential. */
export async function bitstringStatus(entry: Record<string, unknown>, issuer: string): Promise<boolean> {
  const url = entry.statusListCredential;
  const index = Number(entry.statusListIndex);
  if (typeof url !== 'string' || !Number.isSafeInteger(index) || index < 0) throw new Error('malformed credentialStatus');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`status list ${url}: HTTP ${response.status}`);
  const listJwt = (await response.text()).trim();
  const list = await verifyCredential(listJwt, didKeyResolver);
  if (list.issuer !== issuer) throw new Error(`the status list is issued by ${list.issuer}, not ${issuer}`);
  const subject = list.verifiableCredential.credentialSubject as Record<string, unknown>;
  if (subject.statusPurpose !== entry.statusPurpose) throw new Error('the status list serves another purpose');
  const encoded = subject.encodedList;
  if (typeof encoded !== 'string' || !encoded.startsWith('u')) throw new Error('malformed encodedList');
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  if (index >= bits.length * 8) throw new Error('status index outside the list');
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** Verifies a VP JWT carrying JWT VCs (`jwt_vc_json`). */
export async function verifyJwtVcPresentation(presentation: string, check: PresentationCheck): Promise<VerifiedPresentationResult> {
  const audience = audienceFor(check.origin);
  const vp = await verifyPresentation(presentation, didKeyResolver, { challenge: check.nonce, domain: audience });
  const holder = vp.issuer;
  const aud = vp.payload.aud;
  if (aud !== audience && !(Array.isArray(aud) && aud.length === 1 && aud[0] === audience)) {
    throw new Error(`aud is ${JSON.stringify(aud)}, expected ${audience}`);
  }
  const inner = (vp.payload.vp as { verifiableCredential?: unknown } | undefined)?.verifiableCredential;
  const list = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
  if (list.length !== 1 || typeof list[0] !== 'string') throw new Error('the presentation must carry exactly one credential JWT');
  const vc = await verifyCredential(list[0], didKeyResolver);
  checkTrusted(vc.issuer, check.trustedIssuers);
  const subject = vc.payload.sub;
  if (subject !== holder) throw new Error(`the credential is about ${String(subject)}, but ${holder} presented it`);
  let status: VerifiedPresentationResult['status'] = 'not-checked';
  const credentialStatus = vc.verifiableCredential.credentialStatus as Record<string, unknown> | undefined;
  if (credentialStatus) {
    if (await bitstringStatus(credentialStatus, vc.issuer)) throw new Error('the credential has been revoked by its issuer');
    status = 'valid';
  }
  const { id: _id, ...claims } = vc.verifiableCredential.credentialSubject as Record<string, unknown>;
  return {
    format: 'jwt_vc_json',
    issuer: vc.issuer,
    holder,
    types: [vc.verifiableCredential.type].flat(),
    claims,
    audience,
    nonce: check.nonce,
    status,
  };
}

export interface DcqlCredentialQuery {
  id: string;
  format: string;
  meta?: Record<string, unknown>;
  claims?: { id?: string; path: (string | number | null)[] }[];
}

export interface VerifiedQueryAnswer extends VerifiedPresentationResult {
  queryId: string;
  /** Claim paths the request asked for that the site did not receive. */
  missing: string[];
}

/**
 * Verifies a DC API answer (`data`) to one of our requests: the shape with
 * @openid4vc/openid4vp, then every presentation by its format.
 */
export async function verifyDcApiResponse(
  request: { nonce: string; dcql_query: { credentials: DcqlCredentialQuery[] } } & Record<string, unknown>,
  data: unknown,
  check: Omit<PresentationCheck, 'nonce'>,
): Promise<VerifiedQueryAnswer[]> {
  if (typeof data !== 'object' || data === null) throw new Error('the answer has no data');
  const record = data as Record<string, unknown>;
  if (typeof record.error === 'string') {
    throw new Error(`the wallet answered ${record.error}${typeof record.error_description === 'string' ? `: ${record.error_description}` : ''}`);
  }
  const parsed = validateOpenid4vpAuthorizationResponsePayload({
    authorizationRequestPayload: request as never,
    authorizationResponsePayload: record as never,
  });
  if (parsed.type !== 'dcql') throw new Error('expected a DCQL answer');
  const presentations = parsed.dcql.presentations as Record<string, unknown[]>;
  const answers: VerifiedQueryAnswer[] = [];
  for (const [queryId, entries] of Object.entries(presentations)) {
    const query = request.dcql_query.credentials.find((c) => c.id === queryId);
    if (!query) throw new Error(`the answer has a presentation for '${queryId}', which was not asked for`);
    for (const entry of entries) {
      if (typeof entry !== 'string') throw new Error(`presentation for '${queryId}' is not a string`);
      const result =
        query.format === 'dc+sd-jwt'
          ? await verifySdJwtPresentation(entry, { ...check, nonce: request.nonce })
          : query.format === 'jwt_vc_json'
            ? await verifyJwtVcPresentation(entry, { ...check, nonce: request.nonce })
            : null;
      if (!result) throw new Error(`format ${query.format} is not supported by this site`);
      checkMeta(query, result);
      answers.push({ ...result, queryId, missing: missingClaims(query, result) });
    }
  }
  const unanswered = request.dcql_query.credentials.filter((c) => !answers.some((a) => a.queryId === c.id));
  if (unanswered.length > 0) throw new Error(`no presentation for ${unanswered.map((c) => `'${c.id}'`).join(', ')}`);
  return answers;
}

function checkMeta(query: DcqlCredentialQuery, result: VerifiedPresentationResult): void {
  const vct = query.meta?.vct_values;
  if (Array.isArray(vct) && !vct.some((v) => result.types.includes(String(v)))) {
    throw new Error(`the credential's vct ${result.types.join(', ')} is not one the site asked for`);
  }
  const typeValues = query.meta?.type_values;
  if (Array.isArray(typeValues) && !typeValues.some((set) => Array.isArray(set) && set.every((t) => result.types.includes(String(t))))) {
    throw new Error(`the credential's types ${result.types.join(', ')} are not what the site asked for`);
  }
}

/** Requested claim paths absent from what was received (JWT VC paths start at credentialSubject). */
function missingClaims(query: DcqlCredentialQuery, result: VerifiedPresentationResult): string[] {
  const missing: string[] = [];
  for (const claim of query.claims ?? []) {
    const path = result.format === 'jwt_vc_json' && claim.path[0] === 'credentialSubject' ? claim.path.slice(1) : claim.path;
    let value: unknown = result.claims;
    for (const key of path) {
      value = value !== null && typeof value === 'object' && key !== null ? (value as Record<string, unknown>)[String(key)] : undefined;
    }
    if (value === undefined) missing.push(claim.path.join('.'));
  }
  return missing;
}
