/**
 * The one path by which core fetches something for a site (status lists now; DID
 * documents and request URIs later): the URL policy first, then the fetcher port with
 * a size cap and a deadline that hold whatever the fetcher is (the browser adapter,
 * or an in-memory one in tests).
 */
import type { FetchLimits, HttpBody, HttpFetcher, HttpRequestOptions, HttpResponse } from '../ports.ts';
import { BodyTooLargeError } from './capped-body.ts';
import { assertFetchableUrl } from './url-policy.ts';
import { instanceofAcrossCopies } from '../cross-bundle.ts';

/** How long one fetch may take, body included. */
export const PUBLIC_FETCH_TIMEOUT_MS = 8_000;
/** The largest body the wallet reads from one fetch (2 MiB; status lists are far smaller). */
export const PUBLIC_FETCH_MAX_BYTES = 2 * 1024 * 1024;

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: PUBLIC_FETCH_MAX_BYTES, timeoutMs: PUBLIC_FETCH_TIMEOUT_MS };

/** A fetch that did not answer within its deadline. */
export class FetchTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = 'FetchTimeoutError';
  }
}
// Made in one worker script and checked in another (cross-bundle.ts).
instanceofAcrossCopies(FetchTimeoutError, 'FetchTimeoutError');

/**
 * Fetches `url` if the URL policy allows it (UrlPolicyError otherwise, before any
 * request), giving up after `limits.timeoutMs` (FetchTimeoutError) and refusing a
 * body over `limits.maxBytes` (BodyTooLargeError).
 */
export async function fetchPublic(
  fetcher: HttpFetcher,
  url: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  options?: HttpRequestOptions,
): Promise<HttpResponse> {
  assertFetchableUrl(url);
  return withinLimits(() => fetcher.get(url, limits, options), limits, options?.bodyEncoding);
}

/** POSTs `body` to `url` under the same URL policy, deadline and size cap as `fetchPublic`. */
export async function postPublic(
  fetcher: HttpFetcher,
  url: string,
  body: HttpBody,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
  options?: HttpRequestOptions,
): Promise<HttpResponse> {
  assertFetchableUrl(url);
  return withinLimits(() => fetcher.post(url, body, limits, options), limits);
}

async function withinLimits(send: () => Promise<HttpResponse>, limits: FetchLimits, encoding: HttpRequestOptions['bodyEncoding'] = 'text'): Promise<HttpResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FetchTimeoutError(limits.timeoutMs)), limits.timeoutMs);
  });
  try {
    const response = await Promise.race([send(), deadline]);
    // UTF-16 code units never outnumber UTF-8 bytes, so this holds for any fetcher; base64 takes 4 characters per 3 bytes.
    const cap = encoding === 'base64' ? Math.ceil(limits.maxBytes / 3) * 4 : limits.maxBytes;
    if (response.body.length > cap) throw new BodyTooLargeError(limits.maxBytes);
    return response;
  } finally {
    clearTimeout(timer);
  }
}
