import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError } from '../../core/net/capped-body.ts';
import { FetchTimeoutError } from '../../core/net/public-fetch.ts';
import { UrlPolicyError } from '../../core/net/url-policy.ts';
import { BrowserHttpFetcher } from './http-fetcher.ts';

/** A loopback server (the only plain-http target the policy allows) with scripted routes. */
let server: Server;
let base: string;
const hits: string[] = [];
let endlessClosed: Promise<number>;
let resolveEndless: (sent: number) => void = () => undefined;

function route(req: IncomingMessage, res: ServerResponse): void {
  hits.push(req.url ?? '');
  switch (req.url) {
    case '/list':
      res.writeHead(200, { 'content-type': 'application/statuslist+jwt' }).end('eyJ.a.b');
      return;
    case '/logo.png':
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe]));
      return;
    case '/redirect':
      res.writeHead(302, { location: `${base}/target` }).end();
      return;
    case '/declared-large':
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('x');
      return; // never finishes: only the header may be read
    case '/endless': {
      // Streams until the client goes away; resolves with the bytes written by then.
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => resolveEndless(sent));
      pump();
      return;
    }
    case '/stall':
      res.writeHead(200);
      res.write('partial');
      return; // the body never ends
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 256 * 1024, timeoutMs: 2_000 };

describe('BrowserHttpFetcher', () => {
  it('fetches a small body from loopback over http', async () => {
    const response = await new BrowserHttpFetcher().get(`${base}/list`, limits);
    expect(response).toMatchObject({ status: 200, contentType: 'application/statuslist+jwt', body: 'eyJ.a.b' });
    expect(response.headers?.['content-type']).toBe('application/statuslist+jwt');
    // A fragment is not sent, and the response URL (which never has one) still matches.
    expect((await new BrowserHttpFetcher().get(`${base}/list#statuslist`, limits)).body).toBe('eyJ.a.b');
  });

  it('returns a binary body as base64 when asked, byte for byte', async () => {
    const response = await new BrowserHttpFetcher().get(`${base}/logo.png`, limits, { bodyEncoding: 'base64' });
    expect(Buffer.from(response.body, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0xfe]));
  });

  it('refuses a URL outside the policy before any request is made', async () => {
    const requested: string[] = [];
    const fetcher = new BrowserHttpFetcher(async (input) => {
      requested.push(String(input));
      return new Response('');
    });
    for (const url of ['http://issuer.example/list', 'https://192.168.1.1/list', 'https://[fd00::1]/', 'https://printer.local/', 'https://169.254.169.254/']) {
      await expect(fetcher.get(url, limits), url).rejects.toBeInstanceOf(UrlPolicyError);
    }
    expect(requested).toEqual([]);
  });

  it('refuses a redirect without requesting its target', async () => {
    hits.length = 0;
    await expect(new BrowserHttpFetcher().get(`${base}/redirect`, limits)).rejects.toThrow(/redirect, which is not followed/);
    expect(hits).toEqual(['/redirect']);
  });

  it('does not use a response that a fetch implementation followed through a redirect', async () => {
    const followed = new Response('body');
    Object.defineProperty(followed, 'redirected', { value: true });
    Object.defineProperty(followed, 'url', { value: 'http://10.0.0.1/list' });
    await expect(new BrowserHttpFetcher(async () => followed).get('https://issuer.example/list', limits)).rejects.toThrow(
      'the server redirected to http://10.0.0.1/list; redirects are not followed',
    );
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    await expect(new BrowserHttpFetcher().get(`${base}/declared-large`, limits)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('cancels an endless body at the cap instead of buffering it', async () => {
    endlessClosed = new Promise((resolve) => (resolveEndless = resolve));
    const error = await new BrowserHttpFetcher().get(`${base}/endless`, limits).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as Error).message).toBe('the response is larger than 262144 bytes');
    // The server sees the connection go away (the stream was cancelled), long before the deadline.
    const sent = await Promise.race([endlessClosed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('still streaming')), 1_500))]);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up on a body that never ends at the deadline', async () => {
    const started = Date.now();
    const error = await new BrowserHttpFetcher().get(`${base}/stall`, { maxBytes: 1024, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchTimeoutError);
    expect((error as Error).message).toBe('no answer within 0.3 s');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
