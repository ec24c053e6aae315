/**
 * The nonce endpoint (§7) and the credential endpoint (§8): one request per offered
 * configuration, `{ credential_configuration_id, proofs: { jwt: [proof] } }` with the
 * Bearer token, answered by `credentials: [{ credential }]`. An `invalid_nonce`
 * answer is retried once with a fresh nonce; a deferred answer is refused clearly.
 */
import type { HttpFetcher } from '../ports.ts';
import { IssuanceError } from './issuance-error.ts';
import { exchange, isObject, jsonObjectOf, oauthErrorOf, requiredString } from './issuance-json.ts';

/** A fresh c_nonce from the issuer's nonce endpoint (a POST without a body). */
export async function requestNonce(fetcher: HttpFetcher, nonceEndpoint: string): Promise<string> {
  const response = await exchange(fetcher, 'nonce endpoint', nonceEndpoint, {
    body: { contentType: 'application/x-www-form-urlencoded', text: '' },
  });
  if (response.status !== 200) throw new IssuanceError(`The issuer's nonce endpoint answered ${oauthErrorOf(response)}`);
  return requiredString(jsonObjectOf(response, 'nonce response'), 'c_nonce', 'nonce response');
}

export interface CredentialRequest {
  credentialEndpoint: string;
  accessToken: string;
  configurationId: string;
  /** Asked by the identifier the token response named (then the configuration id is not sent, §8.2). */
  credentialIdentifier?: string;
  /** The proof JWT, or null when the configuration binds no key. */
  proof: string | null;
}

export type CredentialAnswer = { credentials: string[] } | { invalidNonce: true };

export async function requestCredential(fetcher: HttpFetcher, request: CredentialRequest): Promise<CredentialAnswer> {
  const body: Record<string, unknown> =
    request.credentialIdentifier === undefined ? { credential_configuration_id: request.configurationId } : { credential_identifier: request.credentialIdentifier };
  if (request.proof !== null) body.proofs = { jwt: [request.proof] };
  const response = await exchange(fetcher, 'credential endpoint', request.credentialEndpoint, {
    body: { contentType: 'application/json', text: JSON.stringify(body) },
    headers: { authorization: `Bearer ${request.accessToken}` },
  });
  if (response.status === 202) throw new IssuanceError('The issuer deferred issuance; not supported yet');
  if (response.status !== 200) {
    const error = oauthErrorOf(response);
    if (error.startsWith('invalid_nonce')) return { invalidNonce: true };
    throw new IssuanceError(`The issuer refused to issue ${request.configurationId}: ${error}`);
  }
  const answer = jsonObjectOf(response, 'credential response');
  if (answer.transaction_id !== undefined && answer.credentials === undefined) {
    throw new IssuanceError('The issuer deferred issuance; not supported yet');
  }
  const credentials = answer.credentials;
  if (!Array.isArray(credentials) || credentials.length === 0) throw new IssuanceError('The credential response has no credentials');
  return {
    credentials: credentials.map((entry) => {
      if (!isObject(entry) || typeof entry.credential !== 'string' || entry.credential.length === 0) {
        throw new IssuanceError('A credential in the credential response is not a string (only JWT and SD-JWT credentials are supported)');
      }
      return entry.credential;
    }),
  };
}
