/**
 * The registry's OAuth 2.0 state for OpenID4VCI: pre-authorized codes (with an
 * optional transaction code), authorization requests and codes (PKCE S256), access
 * tokens and c_nonces. In memory, short-lived, single-use where the specs say so.
 *
 * Every refusal is an OAuthError carrying the RFC 6749 §5.2 / OpenID4VCI §6.3, §8.3.1
 * error code the endpoint answers with; a refused call changes nothing except where a
 * rule says so (a reused authorization code revokes the token it gave, RFC 6749 §4.1.2;
 * three wrong transaction codes burn the pre-authorized code, so it cannot be guessed).
 */
import { createHash, randomBytes } from 'node:crypto';

export const CODE_TTL_MS = 5 * 60_000;
export const TOKEN_TTL_MS = 10 * 60_000;
export const NONCE_TTL_MS = 5 * 60_000;
export const MAX_TX_CODE_ATTEMPTS = 3;

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export interface AccessGrant {
  configurationIds: string[];
  /** The authorization code flow's client; absent for anonymous pre-authorized access. */
  clientId?: string;
  /** credential_identifier → configuration id, when authorization_details were used (OpenID4VCI §6.2). */
  credentialIdentifiers?: Record<string, string>;
  expiresAt: number;
  /** Configurations already issued under this token (each once). */
  issued: Set<string>;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  authorization_details?: { type: 'openid_credential'; credential_configuration_id: string; credential_identifiers: string[] }[];
}

interface PreAuthorized {
  configurationIds: string[];
  txCode?: string;
  wrongTxCodes: number;
  expiresAt: number;
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  configurationIds: string[];
  /** Whether the wallet asked by authorization_details (then the token names credential identifiers). */
  byAuthorizationDetails: boolean;
  /** The offer's issuer_state it came with: used up once the user signs in. */
  issuerState?: string;
  expiresAt: number;
}

interface AuthorizationCode extends Omit<AuthorizationRequest, 'expiresAt'> {
  expiresAt: number;
  used: boolean;
  token?: string;
}

export class Openid4vciGrants {
  private readonly preAuthorized = new Map<string, PreAuthorized>();
  private readonly issuerStates = new Map<string, { configurationIds: string[]; expiresAt: number }>();
  private readonly requests = new Map<string, AuthorizationRequest>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly tokens = new Map<string, AccessGrant>();
  private readonly nonces = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A pre-authorized code for `configurationIds`; with `txCode`, redeemed only together with it. */
  createPreAuthorized(configurationIds: string[], txCode?: string): string {
    const code = random();
    this.preAuthorized.set(code, { configurationIds: [...configurationIds], txCode, wrongTxCodes: 0, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** The issuer_state of an authorization code offer: it ties the later /authorize to the offer. */
  createIssuerState(configurationIds: string[]): string {
    const state = random();
    this.issuerStates.set(state, { configurationIds: [...configurationIds], expiresAt: this.now() + CODE_TTL_MS });
    return state;
  }

  /** The configurations an issuer_state names, if it is ours and fresh (it stays usable until the code is issued). */
  issuerStateConfigurations(issuerState: string): string[] | undefined {
    const entry = this.issuerStates.get(issuerState);
    return entry && entry.expiresAt > this.now() ? entry.configurationIds : undefined;
  }

  redeemPreAuthorized(code: string, txCode: string | undefined): TokenAnswer {
    const grant = this.preAuthorized.get(code);
    if (!grant || grant.expiresAt <= this.now()) {
      this.preAuthorized.delete(code);
      throw new OAuthError(400, 'invalid_grant', 'the pre-authorized code is unknown, expired or already used');
    }
    if (grant.txCode !== undefined) {
      if (txCode === undefined) throw new OAuthError(400, 'invalid_request', 'this pre-authorized code needs the transaction code (tx_code) sent to you');
      if (txCode !== grant.txCode) {
        grant.wrongTxCodes += 1;
        if (grant.wrongTxCodes >= MAX_TX_CODE_ATTEMPTS) this.preAuthorized.delete(code);
        throw new OAuthError(400, 'invalid_grant', 'the transaction code is wrong');
      }
    } else if (txCode !== undefined) {
      throw new OAuthError(400, 'invalid_request', 'this pre-authorized code takes no transaction code');
    }
    this.preAuthorized.delete(code);
    return this.issueToken({ configurationIds: grant.configurationIds });
  }

  /** Remembers a checked authorization request until the user signs in; its id goes in the sign-in form. */
  holdAuthorizationRequest(request: Omit<AuthorizationRequest, 'expiresAt'>): string {
    if (!CHALLENGE.test(request.codeChallenge)) throw new OAuthError(400, 'invalid_request', 'code_challenge must be the 43-character base64url S256 challenge');
    const id = random(16);
    this.requests.set(id, { ...request, expiresAt: this.now() + CODE_TTL_MS });
    return id;
  }

  /** The signed-in user approved: the request is used up and an authorization code made for it. */
  approveAuthorizationRequest(id: string): { code: string; request: AuthorizationRequest } {
    const request = this.requests.get(id);
    this.requests.delete(id);
    if (!request || request.expiresAt <= this.now()) throw new OAuthError(400, 'invalid_request', 'this sign-in request is unknown, expired or already answered');
    if (request.issuerState !== undefined) this.issuerStates.delete(request.issuerState);
    const code = random();
    this.codes.set(code, { ...request, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return { code, request };
  }

  /** Drops a request the user cancelled. */
  denyAuthorizationRequest(id: string): AuthorizationRequest | undefined {
    const request = this.requests.get(id);
    this.requests.delete(id);
    return request;
  }

  redeemAuthorizationCode(input: { code: string; codeVerifier?: string; redirectUri?: string; clientId?: string }): TokenAnswer {
    const entry = this.codes.get(input.code);
    if (!entry || entry.expiresAt <= this.now()) throw new OAuthError(400, 'invalid_grant', 'the authorization code is unknown or expired');
    if (entry.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what it gave.
      if (entry.token) this.tokens.delete(entry.token);
      this.codes.delete(input.code);
      throw new OAuthError(400, 'invalid_grant', 'the authorization code was already used');
    }
    if (input.clientId !== entry.clientId) throw new OAuthError(400, 'invalid_grant', 'the authorization code was issued to another client_id');
    if (input.redirectUri !== entry.redirectUri) throw new OAuthError(400, 'invalid_grant', 'redirect_uri differs from the one of the authorization request');
    if (input.codeVerifier === undefined || !VERIFIER.test(input.codeVerifier)) {
      throw new OAuthError(400, 'invalid_request', 'code_verifier must be 43 to 128 unreserved characters (RFC 7636)');
    }
    const challenge = createHash('sha256').update(input.codeVerifier, 'ascii').digest('base64url');
    if (challenge !== entry.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'the PKCE code_verifier does not match the code_challenge');
    entry.used = true;
    const answer = this.issueToken({
      configurationIds: entry.configurationIds,
      clientId: entry.clientId,
      byAuthorizationDetails: entry.byAuthorizationDetails,
    });
    entry.token = answer.access_token;
    return answer;
  }

  /** The grant behind a Bearer token, or a 401 invalid_token (RFC 6750 §3.1). */
  accessFor(token: string | undefined): AccessGrant {
    const grant = token === undefined ? undefined : this.tokens.get(token);
    if (!grant || grant.expiresAt <= this.now()) throw new OAuthError(401, 'invalid_token', 'the access token is missing, unknown or expired');
    return grant;
  }

  issueNonce(): string {
    this.sweepNonces();
    const nonce = random();
    this.nonces.set(nonce, this.now() + NONCE_TTL_MS);
    return nonce;
  }

  /** Whether `nonce` is one of ours and fresh; used up either way. */
  takeNonce(nonce: unknown): boolean {
    this.sweepNonces();
    return typeof nonce === 'string' && this.nonces.delete(nonce);
  }

  private sweepNonces(): void {
    const now = this.now();
    for (const [nonce, expires] of this.nonces) if (expires <= now) this.nonces.delete(nonce);
  }

  private issueToken(input: { configurationIds: string[]; clientId?: string; byAuthorizationDetails?: boolean }): TokenAnswer {
    const token = random();
    const grant: AccessGrant = { configurationIds: input.configurationIds, expiresAt: this.now() + TOKEN_TTL_MS, issued: new Set() };
    if (input.clientId !== undefined) grant.clientId = input.clientId;
    const answer: TokenAnswer = { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_MS / 1000 };
    if (input.byAuthorizationDetails) {
      grant.credentialIdentifiers = {};
      answer.authorization_details = input.configurationIds.map((id) => {
        const identifier = `${id}-${random(6)}`;
        (grant.credentialIdentifiers as Record<string, string>)[identifier] = id;
        return { type: 'openid_credential', credential_configuration_id: id, credential_identifiers: [identifier] };
      });
    }
    this.tokens.set(token, grant);
    return answer;
  }
}
