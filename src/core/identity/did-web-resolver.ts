/**
 * did:web resolution (W3C did:web method): `did:web:host%3Aport:path:segments` is the
 * document at `https://host:port/path/segments/did.json`, and a DID without a path
 * is `https://host/.well-known/did.json`. Always `https:` (no `http:`, not even on
 * loopback), through `fetchPublic` so the URL policy of DESIGN §5 holds (no private,
 * link-local or `.local` hosts; redirects are refused by the fetcher), with a 128 KiB
 * cap and an 8 s deadline. The answer must be a JSON (or did+json) object whose `id`
 * is the DID and whose embedded verification methods are the DID's own. Documents are
 * cached per did-document-cache.ts.
 *
 * Privacy (DESIGN §5, "before the user has decided, the wallet fetches nothing that a
 * never-connected site asked for"): a did:web is a fetch to a host a site may choose.
 * - A credential a never-connected site offers: its did:web issuer is NOT resolved
 *   before the decision; the offer window shows "issuer checked when you accept"
 *   (credential-intake.ts passes `deferIssuer`), and acceptance verifies the issuer
 *   signature in full before anything is kept. A connected site's offer, and the
 *   holder's own import, are resolved at once.
 * - A signed OpenID4VP request: its did:web client_id is resolved before the window
 *   only when its host is the requesting page's host (`sameHostDidWeb`), where the
 *   fetch tells the site nothing it does not know; any other did:web client_id is
 *   refused before the window.
 * - Research requesters: accreditation bodies are on the holder's own list, and
 *   requester-check.ts resolves nothing for a body the holder does not trust.
 */
import type { DIDResolutionResult, DIDResolver } from 'did-resolver';
import type { DidDocument, DidResolver } from '../credentials/types.ts';
import { fetchPublic } from '../net/public-fetch.ts';
import type { HttpFetcher, HttpResponse } from '../ports.ts';
import { type CachedDidDocument, DidDocumentCache } from './did-document-cache.ts';

export const DID_DOCUMENT_MAX_BYTES = 128 * 1024;
export const DID_DOCUMENT_TIMEOUT_MS = 8_000;
const JSON_TYPES = ['application/json', 'application/did+json', 'application/did+ld+json', 'application/ld+json'];

export interface DidWebDeps {
  fetcher: HttpFetcher;
  now: () => number;
  cache: DidDocumentCache;
}

/** A did:web that cannot be resolved; `code` is the DID resolution error. */
export class DidWebError extends Error {
  constructor(
    readonly code: 'invalidDid' | 'notFound' | 'invalidDidDocument',
    message: string,
  ) {
    super(message);
    this.name = 'DidWebError';
  }
}

/** The https URL of a did:web's document (DidWebError for a malformed DID). */
export function didWebUrl(did: string): string {
  if (!did.startsWith('did:web:')) throw new DidWebError('invalidDid', `${did} is not a did:web`);
  const [hostPart = '', ...segments] = did.slice('did:web:'.length).split(':');
  const host = decodeSegment(hostPart, did);
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) || host.startsWith('.') || host.includes('..')) {
    throw new DidWebError('invalidDid', `${did}: '${host}' is not a host name with an optional port`);
  }
  const path = segments.map((segment) => {
    const decoded = decodeSegment(segment, did);
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/?#\\]/.test(decoded)) {
      throw new DidWebError('invalidDid', `${did}: the path segment '${segment}' is empty or not a plain name`);
    }
    return encodeURIComponent(decoded);
  });
  return path.length === 0 ? `https://${host}/.well-known/did.json` : `https://${host}/${path.join('/')}/did.json`;
}

function decodeSegment(segment: string, did: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DidWebError('invalidDid', `${did}: '${segment}' is not valid percent-encoding`);
  }
}

/** The did-resolver method entry for `web`. */
export function didWebResolver(deps: DidWebDeps): Record<string, DIDResolver> {
  return { web: async (_didUrl, parsed) => resolveDidWeb(parsed.did, deps) };
}

export async function resolveDidWeb(did: string, deps: DidWebDeps): Promise<DIDResolutionResult> {
  try {
    const document = await documentOf(did, deps);
    return { didResolutionMetadata: { contentType: 'application/did+json' }, didDocumentMetadata: {}, didDocument: document as never };
  } catch (error) {
    const code = error instanceof DidWebError ? error.code : 'notFound';
    const message = error instanceof Error ? error.message : String(error);
    return { didResolutionMetadata: { error: `${code}: ${message}` }, didDocumentMetadata: {}, didDocument: null };
  }
}

async function documentOf(did: string, deps: DidWebDeps): Promise<DidDocument> {
  const url = didWebUrl(did);
  const now = deps.now();
  const cached = deps.cache.get(url);
  if (cached && now < cached.freshUntil) return cached.document;
  let response: HttpResponse;
  try {
    response = await fetchPublic(deps.fetcher, url, { maxBytes: DID_DOCUMENT_MAX_BYTES, timeoutMs: DID_DOCUMENT_TIMEOUT_MS }, {
      headers: { Accept: 'application/did+json, application/json', ...validators(cached) },
    });
  } catch (error) {
    if (cached && deps.cache.usableAfterFailure(cached, now)) return cached.document;
    deps.cache.forget(url);
    throw new DidWebError('notFound', `${url} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
  }
  const headers = response.headers ?? {};
  if (response.status === 304 && cached) {
    // A 304 may leave out the validators; the entry keeps the ones it had.
    const kept = { ...(cached.etag ? { etag: cached.etag } : {}), ...(cached.lastModified ? { 'last-modified': cached.lastModified } : {}) };
    deps.cache.store(url, cached.document, { ...kept, ...headers }, now);
    return cached.document;
  }
  if (response.status !== 200) {
    deps.cache.forget(url);
    throw new DidWebError('notFound', `${url} answered HTTP ${response.status}`);
  }
  const document = parseDocument(did, url, response);
  deps.cache.store(url, document, headers, now);
  return document;
}

function validators(cached: CachedDidDocument | undefined): Record<string, string> {
  if (!cached) return {};
  return {
    ...(cached.etag ? { 'If-None-Match': cached.etag } : {}),
    ...(cached.lastModified ? { 'If-Modified-Since': cached.lastModified } : {}),
  };
}

/** The document, checked: JSON object, `id` the DID, well-formed verification methods of that DID. */
export function parseDocument(did: string, url: string, response: HttpResponse): DidDocument {
  const type = (response.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!JSON_TYPES.includes(type)) {
    throw new DidWebError('invalidDidDocument', `${url} answered ${type || 'no content type'}, not application/did+json or application/json`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new DidWebError('invalidDidDocument', `${url} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DidWebError('invalidDidDocument', `${url} is not a JSON object`);
  }
  const document = parsed as Record<string, unknown>;
  if (document.id !== did) {
    throw new DidWebError('invalidDidDocument', `the document at ${url} is for ${JSON.stringify(document.id)}, not ${did}`);
  }
  const methods = document.verificationMethod;
  if (methods !== undefined && !Array.isArray(methods)) throw new DidWebError('invalidDidDocument', `${url}: verificationMethod is not an array`);
  for (const method of (methods ?? []) as unknown[]) {
    const m = method as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || typeof m.id !== 'string' || typeof m.type !== 'string') {
      throw new DidWebError('invalidDidDocument', `${url}: a verification method has no id or type`);
    }
    if (!m.id.startsWith('#') && !m.id.startsWith(`${did}#`)) {
      throw new DidWebError('invalidDidDocument', `${url}: the verification method ${m.id} is not one of ${did}`);
    }
  }
  for (const name of ['assertionMethod', 'authentication'] as const) {
    if (document[name] !== undefined && !Array.isArray(document[name])) throw new DidWebError('invalidDidDocument', `${url}: ${name} is not an array`);
  }
  return document as DidDocument;
}

/**
 * The resolver as used before a decision on a signed request from `origin`: a
 * did:web on another host than the page's is refused without any fetch.
 */
export function sameHostDidWeb(resolver: DidResolver, origin: string): DidResolver {
  return {
    resolve: async (didUrl) => {
      if (didUrl.startsWith('did:web:')) {
        let host: string;
        try {
          host = new URL(didWebUrl(didUrl.split('#')[0] as string)).host;
        } catch (error) {
          return { didDocument: null, didResolutionMetadata: { error: `invalidDid: ${error instanceof Error ? error.message : String(error)}` } };
        }
        if (host !== hostOf(origin)) {
          return { didDocument: null, didResolutionMetadata: { error: `notFetched: ${didUrl} is not on ${origin}'s host, so it is not resolved before you decide` } };
        }
      }
      return resolver.resolve(didUrl);
    },
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Whether resolving `did` needs the network (so it may have to wait for the holder's decision). */
export const isDidWeb = (did: string): boolean => did.startsWith('did:web:');

export { DidDocumentCache };
