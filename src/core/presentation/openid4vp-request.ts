import { DC_API_PROTOCOLS, type DcApiProtocol } from '../../protocol/dc-api.ts';
import { checkRequestBounds, describeBoundsFailure } from '../../protocol/limits.ts';
import type { DcqlQuery } from 'dcql';
import type { DidResolver } from '../credentials/types.ts';
import { isPlainObject } from './claim-path.ts';
import { parseDcqlQuery } from './dcql-query.ts';
import { ProtocolError } from './errors.ts';
import { selectResponseEncryption, type ResponseEncryption } from './response-encryption.ts';
import { verifyRequestObject } from './signed-request.ts';

/** The DC API protocols answered here are the ones the protocol layer declares. */
const OPENID4VP_PROTOCOLS: readonly string[] = DC_API_PROTOCOLS;
type Openid4vpProtocol = DcApiProtocol;
export type DcApiResponseMode = 'dc_api' | 'dc_api.jwt';

/** A DC API OpenID4VP request that passed every check, ready for matching and consent. */
export interface ParsedRequest {
  protocol: Openid4vpProtocol;
  /** The page origin (from the runtime sender); presentations are bound to `origin:<origin>`. */
  origin: string;
  nonce: string;
  dcqlQuery: DcqlQuery;
  responseMode: DcApiResponseMode;
  /** The verified `client_id` of a signed request (shown in the consent window); null when unsigned. */
  clientId: string | null;
  /**
   * For `dc_api.jwt`: the verifier key and algorithms to encrypt the response to; else
   * null. This is all the wallet keeps of `client_metadata`: the parsed request is
   * stored with the approval, and nothing else of it is used.
   */
  encryption: ResponseEncryption | null;
  /**
   * Signed requests only: the ResearchAccreditation JWT VC the verifier attached in
   * `verifier_info` (OpenID4VP 1.0 §5.1), checked against the client_id DID (§8); else null.
   */
  verifierAccreditation: string | null;
}

export interface DcApiRequestInput {
  protocol: string;
  data: unknown;
  /** The calling page's origin as the browser reports it, never taken from the payload. */
  origin: string;
}

/** Longest nonce accepted (it is echoed into every presentation). */
const MAX_NONCE_LENGTH = 2048;

/**
 * Parses and checks a Digital Credentials API request for OpenID4VP 1.0
 * (`openid4vp-v1-unsigned` or `openid4vp-v1-signed`). Throws `ProtocolError`
 * (invalid_request, with a precise description) for anything the wallet must refuse.
 */
export async function parseDcApiRequest(
  input: DcApiRequestInput,
  deps: { resolver: DidResolver; now: number },
): Promise<ParsedRequest> {
  if (!OPENID4VP_PROTOCOLS.includes(input.protocol)) {
    throw new ProtocolError(`protocol ${input.protocol} is not supported`);
  }
  const protocol = input.protocol as Openid4vpProtocol;
  if (!isPlainObject(input.data)) throw new ProtocolError('request data must be a JSON object');
  checkBounds(input.data, 'data');

  if (protocol === 'openid4vp-v1-unsigned') {
    // OpenID4VP 1.0 §A.2: client_id and expected_origins of an unsigned request are ignored.
    return { protocol, origin: input.origin, clientId: null, ...parseParameters(input.data), verifierAccreditation: null };
  }
  const { payload, clientId } = await verifyRequestObject(input.data, { origin: input.origin, now: deps.now, resolver: deps.resolver });
  // The signed payload was only a string inside `data`: bound what it decodes to as well.
  checkBounds(payload, 'request');
  return { protocol, origin: input.origin, clientId, ...parseParameters(payload), verifierAccreditation: accreditationIn(payload.verifier_info) };
}

/** Attestations read from `verifier_info`: a few, each `{ format, data }`. */
const MAX_VERIFIER_INFO = 4;

/** The first `jwt_vc_json` attestation in `verifier_info` (its type is checked with the accreditation). */
function accreditationIn(verifierInfo: unknown): string | null {
  if (verifierInfo === undefined) return null;
  if (!Array.isArray(verifierInfo) || verifierInfo.length === 0) throw new ProtocolError('verifier_info must be a non-empty array');
  if (verifierInfo.length > MAX_VERIFIER_INFO) throw new ProtocolError(`verifier_info has more than ${MAX_VERIFIER_INFO} attestations`);
  for (const [i, item] of verifierInfo.entries()) {
    if (!isPlainObject(item) || typeof item.format !== 'string') throw new ProtocolError(`verifier_info[${i}] must be an object with a format`);
  }
  const jwt = verifierInfo.find((item) => item.format === 'jwt_vc_json' && typeof item.data === 'string');
  return (jwt?.data as string | undefined) ?? null;
}

/** Size, depth and member counts as for any page request (protocol/limits.ts), as an invalid_request. */
function checkBounds(value: unknown, root: string): void {
  const bounds = checkRequestBounds(value, { root });
  if (!bounds.ok) throw new ProtocolError(describeBoundsFailure(bounds));
}

/** The authorization request parameters shared by unsigned requests and request objects. */
function parseParameters(params: Record<string, unknown>): Omit<ParsedRequest, 'protocol' | 'origin' | 'clientId' | 'verifierAccreditation'> {
  if (params.response_type === undefined) throw new ProtocolError('response_type is missing');
  if (params.response_type !== 'vp_token') throw new ProtocolError(`response_type must be vp_token, not ${describe(params.response_type)}`);

  const responseMode = params.response_mode;
  if (responseMode === undefined) throw new ProtocolError('response_mode is missing');
  if (responseMode !== 'dc_api' && responseMode !== 'dc_api.jwt') {
    throw new ProtocolError(`response_mode must be dc_api or dc_api.jwt, not ${describe(responseMode)}`);
  }

  const nonce = params.nonce;
  if (nonce === undefined) throw new ProtocolError('nonce is missing');
  if (typeof nonce !== 'string' || nonce.length === 0) throw new ProtocolError('nonce must be a non-empty string');
  if (nonce.length > MAX_NONCE_LENGTH) throw new ProtocolError(`nonce is longer than ${MAX_NONCE_LENGTH} characters`);

  // OpenID4VP 1.0 §5.1: a wallet that does not support transaction_data must refuse it.
  if (params.transaction_data !== undefined) throw new ProtocolError('transaction_data is not supported');

  const clientMetadata = params.client_metadata;
  if (clientMetadata !== undefined && !isPlainObject(clientMetadata)) throw new ProtocolError('client_metadata must be a JSON object');

  const dcqlQuery = parseDcqlQuery(params.dcql_query);
  return {
    nonce,
    dcqlQuery,
    responseMode,
    encryption: responseMode === 'dc_api.jwt' ? selectResponseEncryption(clientMetadata ?? null) : null,
  };
}

export { ProtocolError };

const describe = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
