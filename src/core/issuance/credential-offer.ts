/**
 * OpenID4VCI 1.0 §4.1 credential offers: by value (`credential_offer=`) or by
 * reference (`credential_offer_uri=`), under the `openid-credential-offer://` scheme
 * or any https URL carrying those parameters, or the offer object itself (a site's
 * `wallet_offerCredential({ credential_offer })`).
 */
import type { HttpFetcher } from '../ports.ts';
import { fetchUrlRefusal } from '../net/url-policy.ts';
import { IssuanceError } from './issuance-error.ts';
import { exchange, isObject, jsonObjectOf, optionalString, requiredString, type JsonObject } from './issuance-json.ts';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const OFFER_SCHEME = 'openid-credential-offer:';
/** An offer names a handful of configurations; more is a mistake or an attack on the window. */
const MAX_CONFIGURATIONS = 16;

/** The transaction code the holder types (sent to them out of band by the issuer). */
export interface TxCodeSpec {
  inputMode: 'numeric' | 'text';
  length?: number;
  description?: string;
}

export interface CredentialOffer {
  credentialIssuer: string;
  configurationIds: string[];
  preAuthorized?: { code: string; txCode?: TxCodeSpec; authorizationServer?: string };
  /** The authorization code grant; also used when the offer names no grant (§4.1.1). */
  authorizationCode?: { issuerState?: string; authorizationServer?: string };
}

/** Where an offer is: already in hand (by value) or behind a URL (by reference). */
export type OfferSource = { byValue: unknown } | { byReference: string };

/**
 * Reads an offer as pasted, linked or handed over: an offer URI (custom scheme or
 * https with the parameters), the JSON of an offer, or the offer object.
 */
export function offerSourceOf(input: unknown): OfferSource {
  if (isObject(input)) return { byValue: input };
  if (typeof input !== 'string') throw new IssuanceError('The credential offer is neither an offer URI nor an offer object');
  const text = input.trim();
  if (text.startsWith('{')) {
    try {
      return { byValue: JSON.parse(text) };
    } catch {
      throw new IssuanceError('The credential offer is not valid JSON');
    }
  }
  const query = queryOf(text);
  const byValue = query.get('credential_offer');
  const byReference = query.get('credential_offer_uri');
  if (byValue !== null && byReference !== null) throw new IssuanceError('The offer URI has both credential_offer and credential_offer_uri');
  if (byReference !== null) return { byReference };
  if (byValue === null) throw new IssuanceError('The offer URI has neither credential_offer nor credential_offer_uri');
  try {
    return { byValue: JSON.parse(byValue) };
  } catch {
    throw new IssuanceError('The credential_offer parameter is not valid JSON');
  }
}

function queryOf(text: string): URLSearchParams {
  const lower = text.toLowerCase();
  if (!lower.startsWith(OFFER_SCHEME) && !lower.startsWith('https://') && !lower.startsWith('http://')) {
    throw new IssuanceError(`Not a credential offer: expected an ${OFFER_SCHEME}// or https:// URI`);
  }
  const at = text.indexOf('?');
  if (at < 0) throw new IssuanceError('The offer URI has no query (credential_offer or credential_offer_uri)');
  const hash = text.indexOf('#', at);
  return new URLSearchParams(text.slice(at + 1, hash < 0 ? undefined : hash));
}

/** The offer itself, fetching it first when it is given by reference (§4.1.3). */
export async function resolveCredentialOffer(fetcher: HttpFetcher, source: OfferSource): Promise<CredentialOffer> {
  if ('byValue' in source) return parseCredentialOffer(source.byValue);
  const response = await exchange(fetcher, 'credential offer', source.byReference);
  if (response.status !== 200) throw new IssuanceError(`The credential offer URI answered HTTP ${response.status}`);
  return parseCredentialOffer(jsonObjectOf(response, 'credential offer'));
}

/** Checks an offer object (§4.1.1); each fault named. */
export function parseCredentialOffer(value: unknown): CredentialOffer {
  if (!isObject(value)) throw new IssuanceError('The credential offer is not a JSON object');
  const credentialIssuer = requiredString(value, 'credential_issuer', 'credential offer');
  const refusal = issuerUrlRefusal(credentialIssuer);
  if (refusal) throw new IssuanceError(`The offer's credential_issuer ${credentialIssuer} is refused: ${refusal}`);
  const ids = value.credential_configuration_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)) {
    throw new IssuanceError("The offer's credential_configuration_ids is not a non-empty list of names");
  }
  if (ids.length > MAX_CONFIGURATIONS) throw new IssuanceError(`The offer names more than ${MAX_CONFIGURATIONS} credential configurations`);
  const offer: CredentialOffer = { credentialIssuer, configurationIds: [...new Set(ids as string[])] };
  const grants = value.grants;
  if (grants !== undefined && !isObject(grants)) throw new IssuanceError("The offer's grants is not an object");
  const pre = grants?.[PRE_AUTHORIZED_GRANT];
  if (pre !== undefined) offer.preAuthorized = preAuthorizedGrant(pre);
  const code = grants?.authorization_code;
  if (code !== undefined) {
    if (!isObject(code)) throw new IssuanceError("The offer's authorization_code grant is not an object");
    offer.authorizationCode = {
      issuerState: optionalString(code, 'issuer_state', 'authorization_code grant'),
      authorizationServer: optionalString(code, 'authorization_server', 'authorization_code grant'),
    };
  }
  if (!offer.preAuthorized && !offer.authorizationCode) offer.authorizationCode = {};
  return offer;
}

function preAuthorizedGrant(pre: unknown): NonNullable<CredentialOffer['preAuthorized']> {
  if (!isObject(pre)) throw new IssuanceError("The offer's pre-authorized_code grant is not an object");
  const grant: NonNullable<CredentialOffer['preAuthorized']> = {
    code: requiredString(pre, 'pre-authorized_code', 'pre-authorized_code grant'),
    authorizationServer: optionalString(pre, 'authorization_server', 'pre-authorized_code grant'),
  };
  if (pre.tx_code !== undefined) grant.txCode = txCodeSpec(pre.tx_code);
  return grant;
}

function txCodeSpec(value: unknown): TxCodeSpec {
  if (!isObject(value)) throw new IssuanceError("The offer's tx_code is not an object");
  const mode = value.input_mode ?? 'numeric';
  if (mode !== 'numeric' && mode !== 'text') throw new IssuanceError("The offer's tx_code input_mode is neither 'numeric' nor 'text'");
  const spec: TxCodeSpec = { inputMode: mode };
  if (value.length !== undefined) {
    if (typeof value.length !== 'number' || !Number.isInteger(value.length) || value.length < 1 || value.length > 64) {
      throw new IssuanceError("The offer's tx_code length is not a whole number from 1 to 64");
    }
    spec.length = value.length;
  }
  const description = optionalString(value as JsonObject, 'description', 'tx_code');
  // §4.1.1: at most 300 characters.
  if (description !== undefined) spec.description = description.slice(0, 300);
  return spec;
}

/** Credential issuer identifiers are https URLs without query or fragment (§12.2.1); loopback http for development. */
export function issuerUrlRefusal(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.search || parsed.hash) return 'an issuer identifier has no query or fragment';
  return fetchUrlRefusal(parsed);
}

/** The holder's transaction code, checked against what the offer asked. */
export function checkTxCode(spec: TxCodeSpec, code: string | undefined): string {
  if (code === undefined || code.length === 0) throw new IssuanceError('The issuer asks for a transaction code; type the code it sent you');
  if (code.length > 64) throw new IssuanceError('The transaction code is too long');
  if (spec.inputMode === 'numeric' && !/^[0-9]+$/.test(code)) throw new IssuanceError('The transaction code is digits only');
  if (spec.length !== undefined && code.length !== spec.length) throw new IssuanceError(`The transaction code has ${spec.length} characters`);
  return code;
}
