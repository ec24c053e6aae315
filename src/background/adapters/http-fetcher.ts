import type { FetchLimits, HttpBody, HttpFetcher, HttpRequestOptions, HttpResponse } from '../../core/ports.ts';
import { BodyTooLargeError, readCappedBytes } from '../../core/net/capped-body.ts';
import { toBase64 } from '../../core/encoding.ts';
import { DEFAULT_FETCH_LIMITS, FetchTimeoutError } from '../../core/net/public-fetch.ts';
import { assertFetchableUrl } from '../../core/net/url-policy.ts';

/**
 * Fetches public resources (status lists) for core: no cookies, no referrer, no
 * cache; the URL policy of DESIGN §5 (checked again here, so no path around core's
 * check reaches the network); a deadline for the whole exchange, body included; and
 * a body read with a counting reader that cancels the stream at the cap. Status lists
 * are public by design; fetching one tells its host only that some holder checked it.
 *
 * Redirects are refused (`redirect: 'error'`), not followed and re-checked: with
 * `follow`, the request to the redirect's target (perhaps a private address) has
 * already been sent by the time `response.url` can be checked, and with `manual` an
 * MV3 worker gets an opaque redirect whose Location it cannot read.
 *
 * Not checkable from an extension: a public host name whose DNS answer is a private
 * address. There is no DNS API to pin, so that case rests on the browser's own
 * Private Network Access protections.
 */
export class BrowserHttpFetcher implements HttpFetcher {
  constructor(private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {}

  get(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    return this.send(url, { method: 'GET' }, limits, options);
  }

  post(url: string, body: HttpBody, limits: FetchLimits = DEFAULT_FETCH_LIMITS, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    return this.send(url, { method: 'POST', body: body.text, contentType: body.contentType }, limits, options);
  }

  private async send(
    url: string,
    request: { method: 'GET' | 'POST'; body?: string; contentType?: string },
    limits: FetchLimits,
    options: HttpRequestOptions,
  ): Promise<HttpResponse> {
    const target = assertFetchableUrl(url);
    const headers = requestHeaders(options, request.contentType);
    const signal = AbortSignal.timeout(limits.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(target.href, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        redirect: 'error',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new FetchTimeoutError(limits.timeoutMs);
      // A redirect surfaces as a network error too; neither says more than this.
      throw new Error(`the request failed (network error, or a redirect, which is not followed): ${errorText(error)}`);
    }
    try {
      // Defence in depth: should a fetch implementation follow a redirect anyway, its result is not used.
      // (`response.url` never carries the fragment, so compare without it.)
      if (response.redirected || (response.url !== '' && response.url !== withoutFragment(target))) {
        throw new Error(`the server redirected to ${response.url}; redirects are not followed`);
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
      const bytes = await readCappedBytes(response.body, limits.maxBytes);
      const body = options.bodyEncoding === 'base64' ? toBase64(bytes) : new TextDecoder().decode(bytes);
      return { status: response.status, contentType: response.headers.get('content-type'), body, headers: headerRecord(response.headers) };
    } catch (error) {
      await response.body?.cancel().catch(() => undefined);
      if (signal.aborted) throw new FetchTimeoutError(limits.timeoutMs);
      throw error;
    }
  }
}

/** Cookies are never sent (`credentials: 'omit'`); a caller cannot add them as a header either. */
function requestHeaders(options: HttpRequestOptions, contentType: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (/^(cookie|cookie2|origin|referer|host)$/i.test(name)) throw new Error(`the header ${name} may not be set`);
    headers[name] = value;
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  return headers;
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name.toLowerCase()] = value;
  });
  return record;
}

function withoutFragment(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

const errorText = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
};
