/**
 * Credential issuer metadata (OpenID4VCI 1.0 §12.2) and the authorization server's
 * (RFC 8414, falling back to OpenID Connect discovery). The well-known suffix goes
 * between the host and the issuer's path (§12.2.2, RFC 8414 §3.1); the metadata's
 * own identifier must be the URL it was asked for, and every endpoint must pass the
 * wallet's URL policy before anything is sent to it.
 */
import type { HttpFetcher } from '../ports.ts';
import { fetchUrlRefusal } from '../net/url-policy.ts';
import { IssuanceError } from './issuance-error.ts';
import { exchange, isObject, jsonObjectOf, optionalString, type JsonObject } from './issuance-json.ts';

export interface CredentialConfiguration {
  id: string;
  format: string;
  scope?: string;
  /** E.g. ['did:key'], ['did'], ['jwk']; absent: the issuer binds no key. */
  bindingMethods: string[];
  /** The proof algorithms accepted for `jwt` proofs; absent: no proof is asked. */
  proofAlgs: string[] | null;
  vct?: string;
  /** The configuration's raw JSON, for display (credential_metadata.display / claims). */
  raw: JsonObject;
}

export interface IssuerMetadata {
  credentialIssuer: string;
  credentialEndpoint: string;
  nonceEndpoint?: string;
  deferredCredentialEndpoint?: string;
  authorizationServers: string[];
  configurations: Record<string, CredentialConfiguration>;
  /** The issuer's `display` entries as published (checked when shown). */
  display: unknown[];
}

export interface AuthorizationServerMetadata {
  issuer: string;
  tokenEndpoint: string;
  authorizationEndpoint?: string;
  /** Whether a pre-authorized code may be redeemed without a client id. */
  preAuthorizedAnonymous: boolean;
}

/** `https://host/.well-known/<suffix>/<issuer path>` (the path-insertion rule). */
export function wellKnownUrl(identifier: string, suffix: string): string {
  const url = new URL(identifier);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}`;
}

export async function fetchIssuerMetadata(fetcher: HttpFetcher, credentialIssuer: string): Promise<IssuerMetadata> {
  const response = await exchange(fetcher, 'credential issuer metadata', wellKnownUrl(credentialIssuer, 'openid-credential-issuer'));
  if (response.status !== 200) throw new IssuanceError(`The credential issuer metadata of ${credentialIssuer} answered HTTP ${response.status}`);
  return parseIssuerMetadata(jsonObjectOf(response, 'credential issuer metadata'), credentialIssuer);
}

export function parseIssuerMetadata(value: JsonObject, credentialIssuer: string): IssuerMetadata {
  const what = 'credential issuer metadata';
  if (value.credential_issuer !== credentialIssuer) {
    throw new IssuanceError(`The issuer metadata is for ${String(value.credential_issuer)}, not for ${credentialIssuer} as offered`);
  }
  const configurations = value.credential_configurations_supported;
  if (!isObject(configurations)) throw new IssuanceError('The issuer metadata has no credential_configurations_supported');
  const servers = value.authorization_servers;
  if (servers !== undefined && (!Array.isArray(servers) || !servers.every((s) => typeof s === 'string'))) {
    throw new IssuanceError("The issuer metadata's authorization_servers is not a list of URLs");
  }
  return {
    credentialIssuer,
    credentialEndpoint: endpoint(value, 'credential_endpoint', what, true) as string,
    nonceEndpoint: endpoint(value, 'nonce_endpoint', what, false),
    deferredCredentialEndpoint: endpoint(value, 'deferred_credential_endpoint', what, false),
    authorizationServers: (servers as string[] | undefined) ?? [],
    configurations: Object.fromEntries(
      Object.entries(configurations).flatMap(([id, raw]) => (isObject(raw) ? [[id, configurationOf(id, raw)]] : [])),
    ),
    display: Array.isArray(value.display) ? value.display : [],
  };
}

function configurationOf(id: string, raw: JsonObject): CredentialConfiguration {
  const methods = raw.cryptographic_binding_methods_supported;
  const proofTypes = raw.proof_types_supported;
  const jwtProof = isObject(proofTypes) ? proofTypes.jwt : undefined;
  const algs = isObject(jwtProof) ? jwtProof.proof_signing_alg_values_supported : undefined;
  return {
    id,
    format: typeof raw.format === 'string' ? raw.format : '',
    scope: typeof raw.scope === 'string' ? raw.scope : undefined,
    bindingMethods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === 'string') : [],
    proofAlgs: Array.isArray(algs) ? algs.filter((a): a is string => typeof a === 'string') : isObject(jwtProof) ? [] : null,
    vct: typeof raw.vct === 'string' ? raw.vct : undefined,
    raw,
  };
}

/** The configuration an offer names, or a clear refusal. */
export function offeredConfiguration(metadata: IssuerMetadata, id: string): CredentialConfiguration {
  const configuration = metadata.configurations[id];
  if (!configuration) throw new IssuanceError(`The issuer's metadata does not describe the offered credential ${id}`);
  return configuration;
}

/**
 * The authorization server: the one the grant names (which must be listed), else the
 * first listed, else the credential issuer itself (§12.2.4).
 */
export function authorizationServerOf(metadata: IssuerMetadata, named: string | undefined): string {
  if (named !== undefined) {
    if (!metadata.authorizationServers.includes(named)) {
      throw new IssuanceError(`The offer names the authorization server ${named}, which the issuer metadata does not list`);
    }
    return named;
  }
  return metadata.authorizationServers[0] ?? metadata.credentialIssuer;
}

export async function fetchAuthorizationServerMetadata(fetcher: HttpFetcher, issuer: string): Promise<AuthorizationServerMetadata> {
  const refusal = fetchUrlRefusal(issuer);
  if (refusal) throw new IssuanceError(`The authorization server ${issuer} is refused: ${refusal}`);
  let response = await exchange(fetcher, 'authorization server metadata', wellKnownUrl(issuer, 'oauth-authorization-server'));
  if (response.status === 404) {
    response = await exchange(fetcher, 'authorization server metadata', `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  }
  if (response.status !== 200) throw new IssuanceError(`The authorization server metadata of ${issuer} answered HTTP ${response.status}`);
  const value = jsonObjectOf(response, 'authorization server metadata');
  if (value.issuer !== issuer) throw new IssuanceError(`The authorization server metadata is for ${String(value.issuer)}, not for ${issuer}`);
  const what = 'authorization server metadata';
  return {
    issuer,
    tokenEndpoint: endpoint(value, 'token_endpoint', what, true) as string,
    authorizationEndpoint: endpoint(value, 'authorization_endpoint', what, false),
    preAuthorizedAnonymous: value['pre-authorized_grant_anonymous_access_supported'] === true,
  };
}

function endpoint(value: JsonObject, key: string, what: string, required: boolean): string | undefined {
  const url = optionalString(value, key, what);
  if (url === undefined) {
    if (required) throw new IssuanceError(`The ${what} has no ${key}`);
    return undefined;
  }
  const refusal = fetchUrlRefusal(url);
  if (refusal) throw new IssuanceError(`The ${what}'s ${key} ${url} is refused: ${refusal}`);
  return url;
}
