import type { FetchLimits, HttpBody, HttpFetcher, HttpResponse } from '../ports.ts';
import { BodyTooLargeError } from '../net/capped-body.ts';
import { FetchTimeoutError, fetchPublic, postPublic, PUBLIC_FETCH_TIMEOUT_MS } from '../net/public-fetch.ts';
import { UrlPolicyError } from '../net/url-policy.ts';
import { IssuanceError } from './issuance-error.ts';

/** Metadata, offers and token answers are small; 256 KiB is far above any real one. */
export const ISSUANCE_MAX_BYTES = 256 * 1024;
export const ISSUANCE_LIMITS: FetchLimits = { maxBytes: ISSUANCE_MAX_BYTES, timeoutMs: PUBLIC_FETCH_TIMEOUT_MS };

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An HTTP exchange of OpenID4VCI: any network failure becomes an IssuanceError naming `what`. */
export async function exchange(
  fetcher: HttpFetcher,
  what: string,
  url: string,
  request: { body?: HttpBody; headers?: Record<string, string> } = {},
): Promise<HttpResponse> {
  const headers = { accept: 'application/json', ...request.headers };
  try {
    return request.body
      ? await postPublic(fetcher, url, request.body, ISSUANCE_LIMITS, { headers })
      : await fetchPublic(fetcher, url, ISSUANCE_LIMITS, { headers });
  } catch (error) {
    if (error instanceof UrlPolicyError) throw new IssuanceError(`The ${what} URL is refused: ${error.message}`);
    if (error instanceof BodyTooLargeError) throw new IssuanceError(`The ${what} is larger than ${ISSUANCE_MAX_BYTES / 1024} KiB`);
    if (error instanceof FetchTimeoutError) throw new IssuanceError(`The ${what} did not answer: ${error.message}`);
    throw new IssuanceError(`The ${what} could not be reached (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The JSON object of a response; `what` names it in the error. */
export function jsonObjectOf(response: HttpResponse, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(response.body);
  } catch {
    throw new IssuanceError(`The ${what} is not JSON (HTTP ${response.status})`);
  }
  if (!isObject(value)) throw new IssuanceError(`The ${what} is not a JSON object`);
  return value;
}

/** An OAuth error answer (RFC 6749 §5.2) in words: "invalid_grant (the code expired)". */
export function oauthErrorOf(response: HttpResponse): string {
  try {
    const value: unknown = JSON.parse(response.body);
    if (isObject(value) && typeof value.error === 'string') {
      const description = typeof value.error_description === 'string' ? ` (${value.error_description.slice(0, 300)})` : '';
      return `${value.error.slice(0, 100)}${description}`;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${response.status}`;
}

export function optionalString(object: JsonObject, key: string, what: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new IssuanceError(`The ${what}'s '${key}' is not a non-empty string`);
  return value;
}

export function requiredString(object: JsonObject, key: string, what: string): string {
  const value = optionalString(object, key, what);
  if (value === undefined) throw new IssuanceError(`The ${what} has no '${key}'`);
  return value;
}
