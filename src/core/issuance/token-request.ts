/**
 * The token endpoint (OpenID4VCI 1.0 §6, RFC 6749 §4.1.3): a pre-authorized code
 * (with the holder's transaction code when the offer asked for one) or an
 * authorization code with its PKCE verifier, form-encoded, answered by a Bearer
 * access token. The issuer's own error (e.g. a wrong transaction code) is shown.
 */
import type { HttpFetcher } from '../ports.ts';
import { PRE_AUTHORIZED_GRANT } from './credential-offer.ts';
import { IssuanceError } from './issuance-error.ts';
import { exchange, isObject, jsonObjectOf, oauthErrorOf, optionalString, requiredString } from './issuance-json.ts';

export type TokenGrant =
  /** `clientId` where the authorization server does not take pre-authorized codes anonymously. */
  | { type: 'pre-authorized'; code: string; txCode?: string; clientId?: string }
  | { type: 'authorization-code'; code: string; codeVerifier: string; redirectUri: string; clientId: string };

export interface AccessToken {
  accessToken: string;
  /**
   * The token response's `authorization_details` (§6.2): per configuration, the
   * credential identifiers to ask for instead of the configuration id (§8.2).
   */
  credentialIdentifiers?: Record<string, string[]>;
  /** A c_nonce given with the token (earlier drafts); the nonce endpoint is asked when absent. */
  cNonce?: string;
}

export async function requestAccessToken(fetcher: HttpFetcher, tokenEndpoint: string, grant: TokenGrant): Promise<AccessToken> {
  const form = new URLSearchParams();
  if (grant.type === 'pre-authorized') {
    form.set('grant_type', PRE_AUTHORIZED_GRANT);
    form.set('pre-authorized_code', grant.code);
    if (grant.txCode !== undefined) form.set('tx_code', grant.txCode);
    if (grant.clientId !== undefined) form.set('client_id', grant.clientId);
  } else {
    form.set('grant_type', 'authorization_code');
    form.set('code', grant.code);
    form.set('code_verifier', grant.codeVerifier);
    form.set('redirect_uri', grant.redirectUri);
    form.set('client_id', grant.clientId);
  }
  const response = await exchange(fetcher, 'token endpoint', tokenEndpoint, {
    body: { contentType: 'application/x-www-form-urlencoded', text: form.toString() },
  });
  if (response.status !== 200) throw new IssuanceError(`The issuer refused the ${grantWords(grant)}: ${oauthErrorOf(response)}`);
  const body = jsonObjectOf(response, 'token response');
  const tokenType = requiredString(body, 'token_type', 'token response');
  if (tokenType.toLowerCase() !== 'bearer') throw new IssuanceError(`The issuer gave a ${tokenType} access token; Tessera supports Bearer tokens only`);
  const token: AccessToken = { accessToken: requiredString(body, 'access_token', 'token response'), cNonce: optionalString(body, 'c_nonce', 'token response') };
  const identifiers = credentialIdentifiersOf(body.authorization_details);
  if (identifiers) token.credentialIdentifiers = identifiers;
  return token;
}

function credentialIdentifiersOf(details: unknown): Record<string, string[]> | undefined {
  if (details === undefined) return undefined;
  if (!Array.isArray(details)) throw new IssuanceError("The token response's authorization_details is not a list");
  const byConfiguration: Record<string, string[]> = {};
  for (const detail of details) {
    if (!isObject(detail) || detail.type !== 'openid_credential') continue;
    const id = detail.credential_configuration_id;
    const identifiers = detail.credential_identifiers;
    if (typeof id !== 'string' || !Array.isArray(identifiers) || identifiers.length === 0) continue;
    if (identifiers.length > 16 || !identifiers.every((i) => typeof i === 'string' && i.length > 0 && i.length <= 500)) {
      throw new IssuanceError(`The token response's credential_identifiers for ${id} are not a short list of names`);
    }
    byConfiguration[id] = [...(byConfiguration[id] ?? []), ...(identifiers as string[])];
  }
  return Object.keys(byConfiguration).length > 0 ? byConfiguration : undefined;
}

const grantWords = (grant: TokenGrant) =>
  grant.type === 'authorization-code' ? 'authorization code' : grant.txCode === undefined ? 'pre-authorized code' : 'pre-authorized code and transaction code';
