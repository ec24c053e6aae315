import type { HttpFetcher } from '../../core/credentials/types.ts';

const TIMEOUT_MS = 8_000;
const MAX_BYTES = 2 * 1024 * 1024;

/**
 * Fetches public resources (status lists) for core: no cookies, no referrer, a
 * timeout and a size cap, http(s) only. Status lists are public by design; fetching
 * one tells its host only that some holder checked that list.
 */
export class BrowserHttpFetcher implements HttpFetcher {
  async get(url: string): Promise<{ status: number; contentType: string | null; body: string }> {
    const protocol = new URL(url).protocol;
    if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`refusing to fetch ${protocol} URL`);
    const response = await fetch(url, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      redirect: 'follow',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_BYTES) throw new Error(`response too large (${length} bytes)`);
    const body = await response.text();
    if (body.length > MAX_BYTES) throw new Error('response too large');
    return { status: response.status, contentType: response.headers.get('content-type'), body };
  }
}
