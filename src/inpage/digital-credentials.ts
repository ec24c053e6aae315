/**
 * The W3C Digital Credentials API hook (DESIGN.md §3.1): `navigator.credentials.get`
 * with `digital.requests[]` (or the older `digital.providers[]`) naming an OpenID4VP
 * protocol is answered by Tessera; every other call and protocol goes to the
 * browser's own implementation untouched.
 */
import { DC_API_PROTOCOLS } from '../protocol/dc-api.ts';
import { checkRequestBounds, describeBoundsFailure, MAX_REQUEST_BYTES, MAX_REQUEST_DEPTH } from '../protocol/limits.ts';

type RequestFn = (args: { method: string; params?: unknown }) => Promise<unknown>;

interface DigitalRequest {
  protocol: string;
  data: unknown;
}

const SUPPORTED = new Set<string>(DC_API_PROTOCOLS);
const METHOD = 'tessera_digitalCredentialsGet';
/** Wallet answers that mean "cancelled" to the site: declined, no match, locked and dismissed. */
const CANCELLED_CODES = new Set([4001, 4100, 4900, -32002]);

export function installDigitalCredentialsHook(request: RequestFn): void {
  const container = navigator.credentials as CredentialsContainer | undefined;
  if (!container || typeof container.get !== 'function') return;
  const nativeGet = container.get.bind(container);

  const get = function get(options?: CredentialRequestOptions): Promise<Credential | null> {
    const digital = (options as { digital?: unknown } | undefined)?.digital;
    if (digital === undefined) return nativeGet(options);
    let requests: DigitalRequest[];
    try {
      requests = digitalRequests(digital);
    } catch (error) {
      return Promise.reject(error);
    }
    const ours = requests.find((r) => SUPPORTED.has(r.protocol));
    if (!ours) return nativeGet(options);
    const signal = (options as { signal?: AbortSignal }).signal;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    const overBounds = boundsProblem(ours);
    if (overBounds) return Promise.resolve(digitalCredential({ protocol: ours.protocol, data: { error: 'invalid_request', error_description: overBounds } }));
    const answer = request({ method: METHOD, params: { protocol: ours.protocol, data: ours.data } }).then(
      (result) => digitalCredential(result),
      (error: { code?: number; message?: string }) => {
        if (error?.code === -32602) throw new TypeError(error.message ?? 'Invalid digital credential request');
        if (error?.code !== undefined && CANCELLED_CODES.has(error.code)) {
          throw new DOMException('The request was not allowed.', 'NotAllowedError');
        }
        throw new DOMException(error?.message ?? 'The wallet failed.', 'UnknownError');
      },
    );
    if (!signal) return answer;
    return Promise.race([
      answer,
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')), { once: true }),
      ),
    ]);
  };

  Object.defineProperty(container, 'get', { value: get, writable: true, configurable: true });
}

/** The requests of a `digital` member, or a TypeError for a structurally malformed one. */
function digitalRequests(digital: unknown): DigitalRequest[] {
  if (typeof digital !== 'object' || digital === null) throw new TypeError('digital must be an object');
  const { requests, providers } = digital as { requests?: unknown; providers?: unknown };
  if (Array.isArray(requests)) return requests.map((r, i) => checkedRequest(r, `digital.requests[${i}]`, 'data'));
  if (Array.isArray(providers)) return providers.map((r, i) => checkedRequest(r, `digital.providers[${i}]`, 'request'));
  throw new TypeError('digital.requests must be an array');
}

function checkedRequest(entry: unknown, where: string, dataKey: 'data' | 'request'): DigitalRequest {
  if (typeof entry !== 'object' || entry === null) throw new TypeError(`${where} must be an object`);
  const record = entry as Record<string, unknown>;
  if (typeof record.protocol !== 'string' || record.protocol === '') throw new TypeError(`${where}.protocol is required`);
  let data = record[dataKey];
  if (data === undefined || data === null) throw new TypeError(`${where}.${dataKey} is required`);
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new TypeError(`${where}.${dataKey} is not valid JSON`);
    }
  }
  return { protocol: record.protocol, data };
}

/**
 * A request over the page-request bounds (64 KiB, nesting, member counts) is a
 * protocol error of a well-formed call: OpenID4VP 1.0 §A.4 answers it with
 * `invalid_request`, where the content script would refuse it with -32602 (a TypeError
 * here). Checked against exactly the request that would be sent, its `data` named as
 * the wallet names it.
 */
function boundsProblem(digital: DigitalRequest): string | null {
  const envelopeBytes = JSON.stringify({ method: METHOD, params: { protocol: digital.protocol, data: null } }).length - 'null'.length;
  const bounds = checkRequestBounds(digital.data, {
    root: 'data',
    maxBytes: MAX_REQUEST_BYTES - envelopeBytes,
    maxDepth: MAX_REQUEST_DEPTH - 2,
  });
  return bounds.ok ? null : describeBoundsFailure(bounds);
}

/** What the promise resolves with: a DigitalCredential-shaped object. */
function digitalCredential(result: unknown): Credential {
  const { protocol, data } = result as { protocol: string; data: unknown };
  const credential = { id: '', type: 'digital', protocol, data, toJSON: () => ({ type: 'digital', protocol, data }) };
  return Object.freeze(credential) as unknown as Credential;
}
