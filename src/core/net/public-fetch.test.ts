import type { FetchLimits, HttpFetcher, HttpResponse } from '../ports.ts';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readCappedBytes } from './capped-body.ts';
import { FetchTimeoutError, fetchPublic, PUBLIC_FETCH_MAX_BYTES, PUBLIC_FETCH_TIMEOUT_MS } from './public-fetch.ts';
import { UrlPolicyError } from './url-policy.ts';

/** Answers every URL with `body` (or never, with `hang`); records what it was asked and with which limits. */
class ScriptedFetcher implements HttpFetcher {
  readonly calls: { url: string; limits: FetchLimits | undefined }[] = [];
  constructor(private readonly answer: { body?: string; hang?: boolean } = {}) {}
  get(url: string, limits?: FetchLimits): Promise<HttpResponse> {
    this.calls.push({ url, limits });
    if (this.answer.hang) return new Promise(() => undefined);
    return Promise.resolve({ status: 200, contentType: null, body: this.answer.body ?? 'ok' });
  }
  post(url: string, _body: unknown, limits?: FetchLimits): Promise<HttpResponse> {
    return this.get(url, limits);
  }
}

describe('fetchPublic', () => {
  it('passes an allowed URL to the fetcher with the default limits', async () => {
    const fetcher = new ScriptedFetcher();
    expect((await fetchPublic(fetcher, 'https://issuer.example/status')).body).toBe('ok');
    expect(fetcher.calls).toEqual([{ url: 'https://issuer.example/status', limits: { maxBytes: PUBLIC_FETCH_MAX_BYTES, timeoutMs: PUBLIC_FETCH_TIMEOUT_MS } }]);
  });

  it('never asks the fetcher for a URL the policy refuses', async () => {
    const fetcher = new ScriptedFetcher();
    for (const url of ['http://issuer.example/s', 'https://10.1.2.3/s', 'https://[::ffff:192.168.0.1]/s', 'https://host.local/s', 'https://0.0.0.0/s']) {
      await expect(fetchPublic(fetcher, url), url).rejects.toBeInstanceOf(UrlPolicyError);
    }
    expect(fetcher.calls).toEqual([]);
  });

  it('refuses a body over the cap even from a fetcher that does not enforce it', async () => {
    const fetcher = new ScriptedFetcher({ body: 'x'.repeat(1025) });
    await expect(fetchPublic(fetcher, 'https://issuer.example/s', { maxBytes: 1024, timeoutMs: 1000 })).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('gives up on a fetcher that never answers', async () => {
    const fetcher = new ScriptedFetcher({ hang: true });
    await expect(fetchPublic(fetcher, 'https://issuer.example/s', { maxBytes: 1024, timeoutMs: 50 })).rejects.toBeInstanceOf(FetchTimeoutError);
  });
});

describe('readCappedBytes', () => {
  /** A stream of `chunks` chunks of `size` bytes that records whether it was cancelled and how much was pulled. */
  function source(chunks: number, size: number) {
    const state = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled === chunks) return controller.close();
        state.pulled += 1;
        controller.enqueue(new Uint8Array(size).fill(7));
      },
      cancel() {
        state.cancelled = true;
      },
    }, { highWaterMark: 0 });
    return { stream, state };
  }

  it('reads a body up to the cap', async () => {
    const { stream } = source(4, 256);
    expect((await readCappedBytes(stream, 1024)).length).toBe(1024);
    expect((await readCappedBytes(null, 10)).length).toBe(0);
  });

  it('cancels the stream as soon as it passes the cap', async () => {
    const { stream, state } = source(1_000_000, 1024);
    await expect(readCappedBytes(stream, 4096)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBe(5);
  });
});
