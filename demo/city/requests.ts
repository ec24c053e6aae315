/**
 * The OpenID4VP requests the city site sends through the Digital Credentials API:
 * unsigned (`openid4vp-v1-unsigned`, `data` is the request) or signed
 * (`openid4vp-v1-signed`, `data = { request: <JWS> }`), with a DCQL query for a name
 * and an over-18 claim.
 *
 * Signed requests are made with the community verifier library
 * `@openid4vc/openid4vp` (`Openid4vpVerifier.createOpenId4vpAuthorizationRequest` with
 * a JAR signer of method `did`): header `typ: oauth-authz-req+jwt`, `kid` = the city's
 * verification method, `client_id: decentralized_identifier:<city DID>`,
 * `expected_origins`, `exp`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { PID_VCT, RESIDENT_TYPE } from '../registry/issuer.ts';
import { signCompactJws, verifyEd25519, type Ed25519Did } from '../registry/did-key.ts';
import type { DcqlCredentialQuery } from './verifier.ts';

export const UNSIGNED = 'openid4vp-v1-unsigned';
export const SIGNED = 'openid4vp-v1-signed';

export type RequestedCredential = 'pid' | 'resident';

export interface DcqlQuery {
  credentials: DcqlCredentialQuery[];
}

export interface AuthorizationRequest extends Record<string, unknown> {
  response_type: 'vp_token';
  response_mode: string;
  nonce: string;
  dcql_query: DcqlQuery;
  client_id?: string;
  expected_origins?: string[];
}

/** The claims the city asks for: name and over-18. */
export function dcqlQueryFor(credential: RequestedCredential): DcqlQuery {
  if (credential === 'pid') {
    return {
      credentials: [
        {
          id: 'pid',
          format: 'dc+sd-jwt',
          meta: { vct_values: [PID_VCT] },
          claims: [{ path: ['given_name'] }, { path: ['family_name'] }, { path: ['age_over_18'] }],
        },
      ],
    };
  }
  return {
    credentials: [
      {
        id: 'resident',
        format: 'jwt_vc_json',
        meta: { type_values: [[RESIDENT_TYPE]] },
        claims: [
          { path: ['credentialSubject', 'given_name'] },
          { path: ['credentialSubject', 'family_name'] },
          { path: ['credentialSubject', 'age_over_18'] },
        ],
      },
    ],
  };
}

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export function clientIdOf(key: Ed25519Did): string {
  return `decentralized_identifier:${key.did}`;
}

/** An Openid4vpVerifier whose JWTs are signed by the city's did:key (EdDSA). */
export function openid4vpVerifier(key: Ed25519Did): Openid4vpVerifier {
  return new Openid4vpVerifier({
    callbacks: {
      hash: (data, alg) => {
        const name = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' }[alg];
        return createHash(name).update(data).digest();
      },
      signJwt: (signer, { header, payload }) => {
        if (signer.method !== 'did' || signer.didUrl !== key.kid) throw new Error(`cannot sign as ${JSON.stringify(signer)}`);
        return { jwt: signCompactJws(key, header, payload), signerJwk: { ...key.publicJwk } };
      },
      verifyJwt: (_signer, { compact }) => {
        const [h, p, s] = compact.split('.');
        const verified = verifyEd25519(`${h}.${p}`, s ?? '', key.publicJwk);
        return verified ? { verified: true, signerJwk: { ...key.publicJwk } } : { verified: false };
      },
      encryptJwe: () => {
        throw new Error('the city does not encrypt requests');
      },
      decryptJwe: () => {
        throw new Error('the city asks for response_mode dc_api (unencrypted)');
      },
    },
  });
}

export interface BuiltRequest {
  protocol: typeof UNSIGNED | typeof SIGNED;
  /** What goes into `navigator.credentials.get({ digital: { requests: [{ protocol, data }] } })`. */
  data: Record<string, unknown>;
  /** The request as the wallet reads it (for a signed request, the JWS payload). */
  payload: AuthorizationRequest;
  nonce: string;
  clientId: string | null;
}

export interface BuildRequestOptions {
  credential?: RequestedCredential;
  signed?: boolean;
  /** For signed requests: `expected_origins` (the page origin the request is made for). */
  expectedOrigins?: string[];
  nonce?: string;
  dcqlQuery?: DcqlQuery;
  responseMode?: string;
  expiresInSeconds?: number;
}

export async function buildRequest(key: Ed25519Did, options: BuildRequestOptions = {}): Promise<BuiltRequest> {
  const nonce = options.nonce ?? newNonce();
  const dcql_query = options.dcqlQuery ?? dcqlQueryFor(options.credential ?? 'pid');
  const response_mode = options.responseMode ?? 'dc_api';
  if (!options.signed) {
    const payload: AuthorizationRequest = { response_type: 'vp_token', response_mode, nonce, dcql_query };
    return { protocol: UNSIGNED, data: { ...payload }, payload, nonce, clientId: null };
  }
  const clientId = clientIdOf(key);
  const expected = options.expectedOrigins;
  if (!expected || expected.length === 0) throw new Error('a signed request needs expected_origins');
  const created = await openid4vpVerifier(key).createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: 'vp_token',
      response_mode: response_mode as 'dc_api',
      client_id: clientId,
      nonce,
      dcql_query: dcql_query as never,
      expected_origins: expected,
    },
    jar: {
      jwtSigner: { method: 'did', didUrl: key.kid, alg: 'EdDSA' },
      expiresInSeconds: options.expiresInSeconds ?? 300,
    },
  });
  const jws = created.jar?.authorizationRequestJwt;
  if (!jws) throw new Error('@openid4vc/openid4vp returned no request object');
  const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as AuthorizationRequest;
  return { protocol: SIGNED, data: { request: jws }, payload, nonce, clientId };
}
