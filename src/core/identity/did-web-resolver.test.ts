import { describe, expect, it } from 'vitest';
import { createTestHolder, createTestKey, fakeHolderKeys, issueJwtVc } from '../../../test/support/issuers.ts';
import { resolveSigningKey } from '../credentials/issuer-key.ts';
import { verifyCredential } from '../credentials/verify-credential.ts';
import type { FetchLimits, HttpFetcher, HttpRequestOptions, HttpResponse } from '../ports.ts';
import { DidDocumentCache } from './did-document-cache.ts';
import { createDidResolver } from './did-resolvers.ts';
import { didWebUrl, resolveDidWeb, sameHostDidWeb } from './did-web-resolver.ts';

/** Answers from a table by URL, recording each request and its headers. */
class ScriptedFetcher implements HttpFetcher {
  readonly requests: { url: string; headers: Record<string, string>; limits?: FetchLimits }[] = [];
  constructor(public answer: (url: string, headers: Record<string, string>) => HttpResponse) {}
  async get(url: string, limits?: FetchLimits, options?: HttpRequestOptions): Promise<HttpResponse> {
    const headers = options?.headers ?? {};
    this.requests.push({ url, headers, ...(limits ? { limits } : {}) });
    return this.answer(url, headers);
  }
  async post(url: string): Promise<never> {
    throw new Error(`unexpected POST ${url}`);
  }
}

const DID = 'did:web:issuer.example.org';
const URL_OF_DID = 'https://issuer.example.org/.well-known/did.json';
const json = (body: unknown, headers: Record<string, string> = {}, contentType = 'application/did+json'): HttpResponse => ({
  status: 200,
  contentType,
  body: JSON.stringify(body),
  headers,
});

async function webIssuer() {
  const key = await createTestKey({ keyType: 'P-256' });
  const kid = `${DID}#key-1`;
  const document = {
    id: DID,
    verificationMethod: [{ id: kid, type: 'JsonWebKey2020', controller: DID, publicKeyJwk: key.publicJwk }],
    assertionMethod: [kid],
  };
  return { issuer: { ...key, did: DID, kid }, document };
}

const deps = (fetcher: HttpFetcher, clock = { now: 1_000_000 }) => ({ fetcher, now: () => clock.now, cache: new DidDocumentCache() });

describe('did:web to URL (W3C did:web)', () => {
  it('maps the host, a percent-encoded port and path segments', () => {
    expect(didWebUrl('did:web:w3c-ccg.github.io')).toBe('https://w3c-ccg.github.io/.well-known/did.json');
    expect(didWebUrl('did:web:w3c-ccg.github.io:user:alice')).toBe('https://w3c-ccg.github.io/user/alice/did.json');
    expect(didWebUrl('did:web:example.com%3A3000')).toBe('https://example.com:3000/.well-known/did.json');
    expect(didWebUrl('did:web:127.0.0.1%3A8443:issuers:a')).toBe('https://127.0.0.1:8443/issuers/a/did.json');
  });

  it('refuses hosts and segments that would leave the DID’s own place', () => {
    for (const bad of ['did:web:evil.com%2F..%2Fx', 'did:web:a@b.com', 'did:web:example.com::x', 'did:web:example.com:..', 'did:web:example.com:a%2Fb', 'did:web:%zz', 'did:web:']) {
      expect(() => didWebUrl(bad), bad).toThrow(/did:web/);
    }
  });
});

describe('did:web resolution', () => {
  it('fetches the document over https with a small cap, and a JsonWebKey2020 key verifies a credential', async () => {
    const { issuer, document } = await webIssuer();
    const fetcher = new ScriptedFetcher((url) => (url === URL_OF_DID ? json(document) : { status: 404, contentType: null, body: '' }));
    const resolver = createDidResolver({ fetcher, now: () => Date.now() });
    const holder = await createTestHolder();
    const jwt = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { name: 'Ada' } });
    const verified = await verifyCredential(jwt, { resolver, holderKeys: fakeHolderKeys([holder]), now: Date.now() });
    expect(verified.issuer).toBe(DID);
    expect(verified.issuerCheck).toBeUndefined();
    expect(fetcher.requests[0]).toMatchObject({ url: URL_OF_DID, headers: { Accept: 'application/did+json, application/json' }, limits: { maxBytes: 128 * 1024 } });
  });

  it('reads an Ed25519 Multikey (publicKeyMultibase)', async () => {
    const key = await createTestKey();
    const multibase = key.did.slice('did:key:'.length);
    const document = { id: DID, verificationMethod: [{ id: '#k', type: 'Multikey', controller: DID, publicKeyMultibase: multibase }], assertionMethod: ['#k'] };
    const resolver = createDidResolver({ fetcher: new ScriptedFetcher(() => json(document, {}, 'application/json; charset=utf-8')), now: () => 0 });
    expect((await resolveSigningKey(resolver, DID, '#k', { relationship: 'assertionMethod' })).jwk).toEqual(key.publicJwk);
  });

  it('refuses, with the reason, a wrong id, a foreign method, a non-JSON type, bad JSON and an error status', async () => {
    const { document } = await webIssuer();
    const cases: [HttpResponse, RegExp][] = [
      [json({ ...document, id: 'did:web:other.example' }), /is for "did:web:other.example", not did:web:issuer.example.org/],
      [json({ ...document, verificationMethod: [{ id: 'did:web:other.example#k', type: 'JsonWebKey2020' }] }), /is not one of did:web:issuer.example.org/],
      [json(document, {}, 'text/html'), /answered text\/html, not application\/did\+json/],
      [{ status: 200, contentType: 'application/json', body: '{', headers: {} }, /is not valid JSON/],
      [json([document]), /is not a JSON object/],
      [{ status: 404, contentType: 'text/plain', body: 'no', headers: {} }, /answered HTTP 404/],
    ];
    for (const [response, reason] of cases) {
      const result = await resolveDidWeb(DID, deps(new ScriptedFetcher(() => response)));
      expect(result.didDocument).toBeNull();
      expect(result.didResolutionMetadata.error).toMatch(reason);
    }
  });

  it('never fetches a private, link-local or .local host (the URL policy), nor anything but https', async () => {
    const fetcher = new ScriptedFetcher(() => json({}));
    for (const did of ['did:web:10.0.0.1', 'did:web:169.254.169.254', 'did:web:printer.local', 'did:web:intranet']) {
      const result = await resolveDidWeb(did, deps(fetcher));
      expect(result.didResolutionMetadata.error, did).toMatch(/^notFound: https:\/\/.* could not be fetched: .* is not fetched: its host/);
    }
    expect(fetcher.requests).toEqual([]);
    // Loopback is allowed by the policy, and still over https only.
    await resolveDidWeb('did:web:127.0.0.1%3A8443', deps(fetcher));
    expect(fetcher.requests.map((r) => r.url)).toEqual(['https://127.0.0.1:8443/.well-known/did.json']);
  });

  it('is not a network resolver without a fetcher', async () => {
    expect((await createDidResolver().resolve(DID)).didResolutionMetadata.error).toMatch(/unsupportedDidMethod/);
  });
});

describe('resolving before a decision', () => {
  it('resolves a did:web client_id on the page’s host, and refuses another host without fetching', async () => {
    const fetcher = new ScriptedFetcher(() => json({ id: 'did:web:verifier.example' }));
    const resolver = createDidResolver({ fetcher, now: () => 0 });
    expect((await sameHostDidWeb(resolver, 'https://verifier.example').resolve('did:web:verifier.example#k')).didDocument?.id).toBe('did:web:verifier.example');
    const other = await sameHostDidWeb(resolver, 'https://shop.example').resolve('did:web:tracker.example');
    expect(other.didResolutionMetadata.error).toMatch(/^notFetched: did:web:tracker.example is not on https:\/\/shop.example's host/);
    expect(fetcher.requests.map((r) => r.url)).toEqual(['https://verifier.example/.well-known/did.json']);
  });

  it('a deferred did:web issuer is not fetched and the credential is marked unchecked', async () => {
    const { issuer } = await webIssuer();
    const fetcher = new ScriptedFetcher(() => {
      throw new Error('no fetch expected');
    });
    const holder = await createTestHolder();
    const jwt = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { name: 'Ada' } });
    const verified = await verifyCredential(jwt, {
      resolver: createDidResolver({ fetcher, now: () => 0 }),
      holderKeys: fakeHolderKeys([holder]),
      now: Date.now(),
      deferIssuer: (did) => did.startsWith('did:web:'),
    });
    expect(verified.issuerCheck).toBe('when-accepted');
    expect(fetcher.requests).toEqual([]);
  });
});
