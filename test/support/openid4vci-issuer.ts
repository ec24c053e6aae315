/**
 * TEST ONLY. An OpenID4VCI 1.0 credential issuer and authorization server in memory,
 * answering as an HttpFetcher per URL and method: issuer metadata (path insertion),
 * AS metadata, offers by reference, the token endpoint (pre-authorized code with or
 * without tx_code, authorization code with PKCE S256), the nonce endpoint and the
 * credential endpoint, which checks the proof JWT (typ, aud, nonce, signature by the
 * did:key or JWK it names) and issues to that key with test/support/issuers.ts.
 */
import { base58 } from '@scure/base';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import type { FetchLimits, HttpBody, HttpFetcher, HttpRequestOptions, HttpResponse } from '../../src/core/ports.ts';
import { issueJwtVc, issueSdJwtVc, issueVcJose2, type TestIssuer } from './issuers.ts';

export type TestFormat = 'jwt_vc_json' | 'vc+jwt' | 'dc+sd-jwt';

export interface TestIssuerOptions {
  issuerUrl?: string;
  key: TestIssuer;
  formats?: Record<string, TestFormat>;
  /** The transaction code the holder must send (the offer then asks for one). */
  txCode?: string;
  /** Bind by JWK (`cryptographic_binding_methods_supported: ['jwk']`) instead of did:key. */
  jwkBinding?: boolean;
  /** Overrides of the issuer metadata (e.g. another credential_issuer). */
  metadata?: Record<string, unknown>;
  /** Issue to this DID instead of the proof's (a credential bound to another key). */
  bindTo?: string;
  /** No nonce endpoint: the token response carries c_nonce. */
  tokenNonce?: boolean;
  /** The token response names credential_identifiers (authorization_details), which the credential request must use. */
  credentialIdentifiers?: boolean;
}

export interface ProofSeen {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const json = (status: number, value: unknown): HttpResponse => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
const b64u = (bytes: Buffer) => bytes.toString('base64url');

export class MemoryOpenId4VciIssuer implements HttpFetcher {
  readonly issuerUrl: string;
  readonly origin: string;
  readonly preAuthorizedCode = `pre-${randomUUID()}`;
  readonly proofs: ProofSeen[] = [];
  readonly requests: { method: string; url: string; body?: string; headers?: Record<string, string> }[] = [];
  /** Authorization codes the AS handed out: code → PKCE challenge. */
  private readonly codes = new Map<string, { challenge: string; redirectUri: string }>();
  private readonly tokens = new Set<string>();
  private readonly nonces = new Set<string>();
  readonly formats: Record<string, TestFormat>;

  constructor(private readonly options: TestIssuerOptions) {
    this.issuerUrl = options.issuerUrl ?? 'https://issuer.example';
    this.origin = new URL(this.issuerUrl).origin;
    this.formats = options.formats ?? { PersonId: 'dc+sd-jwt', Diploma: 'jwt_vc_json', Membership: 'vc+jwt' };
  }

  /** The offer (by value), for these configurations and grant. */
  offer(ids = Object.keys(this.formats), grant: 'pre-authorized' | 'authorization_code' = 'pre-authorized'): Record<string, unknown> {
    const grants =
      grant === 'pre-authorized'
        ? {
            'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
              'pre-authorized_code': this.preAuthorizedCode,
              ...(this.options.txCode ? { tx_code: { input_mode: 'numeric', length: this.options.txCode.length, description: 'The code in your e-mail' } } : {}),
            },
          }
        : { authorization_code: { issuer_state: 'issuer-state-1' } };
    return { credential_issuer: this.issuerUrl, credential_configuration_ids: ids, grants };
  }

  offerUri(ids?: string[]): string {
    return `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(this.offer(ids)))}`;
  }

  /** The AS's side of the browser tab: the user logged in; the code for this authorization request. */
  authorize(authorizationUrl: string): string {
    const url = new URL(authorizationUrl);
    const code = `code-${randomUUID()}`;
    if (url.searchParams.get('code_challenge_method') !== 'S256') throw new Error('PKCE S256 required');
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    this.codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
    return `${redirectUri}?code=${code}&state=${url.searchParams.get('state')}`;
  }

  metadata(): Record<string, unknown> {
    const configurations = Object.fromEntries(
      Object.entries(this.formats).map(([id, format]) => [
        id,
        {
          format,
          scope: id.toLowerCase(),
          ...(format === 'dc+sd-jwt' ? { vct: `https://credentials.example/${id}` } : { credential_definition: { type: ['VerifiableCredential', id] } }),
          cryptographic_binding_methods_supported: this.options.jwkBinding ? ['jwk'] : ['did:key'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } },
          credential_metadata: {
            display: [{ name: `${id} card`, locale: 'en', background_color: '#12107c', text_color: '#ffffff' }],
            claims: [{ path: ['given_name'], display: [{ name: 'Given name', locale: 'en' }] }],
          },
        },
      ]),
    );
    return {
      credential_issuer: this.issuerUrl,
      credential_endpoint: `${this.issuerUrl}/credential`,
      ...(this.options.tokenNonce ? {} : { nonce_endpoint: `${this.issuerUrl}/nonce` }),
      display: [{ name: 'Example Registry', locale: 'en', logo: { uri: `${this.origin}/logo.svg`, alt_text: 'Registry logo' } }],
      credential_configurations_supported: configurations,
      ...this.options.metadata,
    };
  }

  async get(url: string, _limits?: FetchLimits, options?: HttpRequestOptions): Promise<HttpResponse> {
    this.requests.push({ method: 'GET', url, headers: options?.headers });
    const path = new URL(this.issuerUrl).pathname.replace(/\/$/, '');
    if (url === `${this.origin}/.well-known/openid-credential-issuer${path}`) return json(200, this.metadata());
    if (url === `${this.origin}/.well-known/oauth-authorization-server${path}`) {
      return json(200, {
        issuer: this.issuerUrl,
        token_endpoint: `${this.issuerUrl}/token`,
        authorization_endpoint: `${this.issuerUrl}/authorize`,
        'pre-authorized_grant_anonymous_access_supported': true,
      });
    }
    if (url === `${this.issuerUrl}/offers/1`) return json(200, this.offer());
    // The user signs in at once: the AS redirects the browser tab to the wallet's redirect URI.
    if (url.startsWith(`${this.issuerUrl}/authorize?`)) return { status: 302, contentType: 'text/plain', body: '', headers: { location: this.authorize(url) } };
    if (url === `${this.origin}/logo.svg`) {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
      return { status: 200, contentType: 'image/svg+xml', body: options?.bodyEncoding === 'base64' ? Buffer.from(svg).toString('base64') : svg };
    }
    return json(404, { error: 'not_found' });
  }

  async post(url: string, body: HttpBody, _limits?: FetchLimits, options?: HttpRequestOptions): Promise<HttpResponse> {
    this.requests.push({ method: 'POST', url, body: body.text, headers: options?.headers });
    if (url === `${this.issuerUrl}/token`) return this.token(new URLSearchParams(body.text));
    if (url === `${this.issuerUrl}/nonce`) return json(200, { c_nonce: this.newNonce() });
    if (url === `${this.issuerUrl}/credential`) return this.credential(options?.headers?.authorization ?? '', JSON.parse(body.text));
    return json(404, { error: 'not_found' });
  }

  private newNonce(): string {
    const nonce = `n-${randomUUID()}`;
    this.nonces.add(nonce);
    return nonce;
  }

  private token(form: URLSearchParams): HttpResponse {
    const grantType = form.get('grant_type');
    if (grantType === 'urn:ietf:params:oauth:grant-type:pre-authorized_code') {
      if (form.get('pre-authorized_code') !== this.preAuthorizedCode) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
      if (this.options.txCode !== undefined && form.get('tx_code') !== this.options.txCode) {
        return json(400, { error: 'invalid_grant', error_description: 'the transaction code is wrong' });
      }
    } else if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (!code || code.challenge !== challenge || code.redirectUri !== form.get('redirect_uri')) return json(400, { error: 'invalid_grant' });
    } else {
      return json(400, { error: 'unsupported_grant_type' });
    }
    const token = `at-${randomUUID()}`;
    this.tokens.add(token);
    const details = this.options.credentialIdentifiers
      ? { authorization_details: Object.keys(this.formats).map((id) => ({ type: 'openid_credential', credential_configuration_id: id, credential_identifiers: [`${id}-a`, `${id}-b`] })) }
      : {};
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: 300, ...(this.options.tokenNonce ? { c_nonce: this.newNonce() } : {}), ...details });
  }

  private async credential(authorization: string, request: Record<string, unknown>): Promise<HttpResponse> {
    if (!this.tokens.has(authorization.replace(/^Bearer /, ''))) return json(401, { error: 'invalid_token' });
    if (this.options.credentialIdentifiers === (request.credential_identifier === undefined) || (request.credential_identifier !== undefined && request.credential_configuration_id !== undefined)) {
      return json(400, { error: 'invalid_credential_request', error_description: 'exactly one of credential_identifier (when named in the token response) or credential_configuration_id' });
    }
    const id = request.credential_identifier ? String(request.credential_identifier).replace(/-[ab]$/, '') : (request.credential_configuration_id as string);
    const format = this.formats[id];
    if (!format) return json(400, { error: 'unknown_credential_configuration' });
    const proof = ((request.proofs as { jwt?: string[] } | undefined)?.jwt ?? [])[0];
    if (!proof) return json(400, { error: 'invalid_proof', error_description: 'no proof' });
    const header = decodeProtectedHeader(proof) as Record<string, unknown>;
    const publicJwk = header.jwk ? (header.jwk as JsonWebKey) : didKeyJwk(String(header.kid ?? ''));
    const { payload: bytes } = await compactVerify(proof, await importJWK(publicJwk as Parameters<typeof importJWK>[0], 'EdDSA'));
    const payload = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    this.proofs.push({ header, payload });
    if (header.typ !== 'openid4vci-proof+jwt' || payload.aud !== this.issuerUrl) return json(400, { error: 'invalid_proof' });
    if (!this.nonces.delete(String(payload.nonce))) return json(400, { error: 'invalid_nonce' });
    const did = this.options.bindTo ?? String(header.kid ?? '').split('#')[0] ?? '';
    const claims = { given_name: 'Ada', family_name: 'Lovelace' };
    const credential =
      format === 'jwt_vc_json'
        ? await issueJwtVc(this.options.key, { subjectDid: did, claims, types: [id] })
        : format === 'vc+jwt'
          ? await issueVcJose2(this.options.key, { subjectDid: did, claims, types: [id] })
          : await issueSdJwtVc(this.options.key, {
              vct: `https://credentials.example/${id}`,
              ...(header.jwk && !this.options.bindTo ? { holderJwk: publicJwk } : { holderKid: this.options.bindTo ?? String(header.kid) }),
              claims,
              disclosable: ['given_name', 'family_name'],
            });
    return json(200, { credentials: [{ credential }] });
  }
}

/** The Ed25519 public JWK of a did:key DID URL (multicodec 0xed01). */
function didKeyJwk(kid: string): JsonWebKey {
  const id = kid.split('#')[0]?.replace(/^did:key:z/, '') ?? '';
  const bytes = Buffer.from(base58.decode(id));
  if (bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error(`not an Ed25519 did:key: ${kid}`);
  return { kty: 'OKP', crv: 'Ed25519', x: b64u(bytes.subarray(2)) };
}
