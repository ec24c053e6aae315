/**
 * The demo relying party: "Aldmere city services — Log in with Tessera".
 *
 * A plain Node http server (no framework) that serves `demo/sites/login/` and two
 * endpoints:
 * - `GET /api/nonce` → `{ nonce, expiresAt }`, a fresh single-use challenge;
 * - `POST /api/verify` `{ presentation }` → `{ verified: true, did, ... }` once the VP
 *   verifies for the page's origin (from the request's `Origin` header) and for a
 *   nonce this server issued and nobody used yet.
 * `GET /plain` is an empty page for tests that call `window.tessera` directly.
 *
 * Listens on 127.0.0.1 (so http://127.0.0.1:PORT and http://localhost:PORT are two
 * origins of the same server) and, where the system allows, on the same port of
 * 127.0.0.2, 127.0.0.3 and ::1.
 *
 * Standalone: `npx tsx demo/server.ts [port]` prints the URL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeJwtPayload, verifyLoginPresentation } from './verify.ts';

export const SITES_DIR = resolve(import.meta.dirname, 'sites');
const LOGIN_DIR = join(SITES_DIR, 'login');
const NONCE_TTL_MS = 5 * 60_000;
const MAX_BODY = 64 * 1024;

export interface DemoServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Same port on more loopback addresses, best effort. Default 127.0.0.2, 127.0.0.3, ::1. */
  extraHosts?: string[];
  /** Log each verification to stdout. */
  log?: boolean;
}

export interface VerificationRecord {
  at: string;
  origin: string;
  ok: boolean;
  did?: string;
  error?: string;
}

export interface DemoServer {
  port: number;
  /** e.g. url('localhost', '/plain') → http://localhost:PORT/plain */
  url(host?: string, path?: string): string;
  /** e.g. origin('localhost') → http://localhost:PORT */
  origin(host?: string): string;
  /** Hosts it listens on. */
  hosts: string[];
  /** Every verification attempt, oldest first. */
  verifications: VerificationRecord[];
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const PLAIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>plain test page</title></head>
<body><p>A page with nothing on it but the wallet's provider.</p></body></html>
`;

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const issued = new Map<string, number>(); // nonce → expiry (ms)
  const verifications: VerificationRecord[] = [];

  const sweep = () => {
    const now = Date.now();
    for (const [nonce, expires] of issued) if (expires < now) issued.delete(nonce);
  };

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string) => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolveP, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new Error('body too large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolveP(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const verify = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const fail = (status: number, error: string, originForLog = origin ?? '(none)') => {
      verifications.push({ at: new Date().toISOString(), origin: originForLog, ok: false, error });
      if (options.log) console.log(`[demo] login from ${originForLog} refused: ${error}`);
      json(res, status, { verified: false, error });
    };
    // The site accepts logins only from its own pages: the browser sets Origin on POST.
    if (!origin || origin === 'null') return fail(403, 'missing Origin header');
    if (origin !== `http://${req.headers.host ?? ''}`) return fail(403, `cross-origin login refused (${origin})`);
    let presentation: unknown;
    try {
      presentation = (JSON.parse(await readBody(req)) as { presentation?: unknown }).presentation;
    } catch {
      return fail(400, 'the body must be JSON { presentation }');
    }
    if (typeof presentation !== 'string') return fail(400, 'presentation must be a string (a VP JWT)');
    let nonce: unknown;
    try {
      nonce = decodeJwtPayload(presentation).nonce;
    } catch (error) {
      return fail(400, `presentation is not a JWT: ${(error as Error).message}`);
    }
    sweep();
    if (typeof nonce !== 'string' || !issued.has(nonce)) {
      return fail(401, 'the nonce was not issued by this site, expired, or was already used');
    }
    issued.delete(nonce); // single use, whatever the outcome
    try {
      const login = await verifyLoginPresentation(presentation, { origin, challenge: nonce });
      verifications.push({ at: new Date().toISOString(), origin, ok: true, did: login.did });
      if (options.log) console.log(`[demo] ${origin} verified ${login.did}`);
      json(res, 200, {
        verified: true,
        did: login.did,
        audience: login.audience,
        nonce: login.nonce,
        issuedAt: login.issuedAt,
      });
    } catch (error) {
      return fail(401, `verification failed: ${(error as Error).message}`);
    }
  };

  const serveStatic = async (res: ServerResponse, pathname: string) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(LOGIN_DIR, rel));
    if (!file.startsWith(LOGIN_DIR + sep)) return send(res, 404, 'not found', 'text/plain');
    try {
      const body = await readFile(file);
      send(res, 200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(res, 404, 'not found', 'text/plain; charset=utf-8');
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const run = async () => {
      if (route === 'GET /api/nonce') {
        sweep();
        const nonce = randomBytes(24).toString('base64url');
        const expiresAt = Date.now() + NONCE_TTL_MS;
        issued.set(nonce, expiresAt);
        return json(res, 200, { nonce, expiresAt: new Date(expiresAt).toISOString() });
      }
      if (route === 'POST /api/verify') return await verify(req, res);
      if (route === 'GET /plain' || route === 'GET /plain/') return send(res, 200, PLAIN_PAGE, CONTENT_TYPES['.html'] as string);
      if (route === 'GET /healthz') return json(res, 200, { ok: true });
      if (req.method === 'GET' || req.method === 'HEAD') return await serveStatic(res, url.pathname);
      send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
    };
    run().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  };

  const listen = (server: Server, port: number, on: string) =>
    new Promise<number>((resolveP, reject) => {
      server.once('error', reject);
      server.listen(port, on, () => {
        server.off('error', reject);
        const address = server.address();
        resolveP(typeof address === 'object' && address ? address.port : port);
      });
    });

  const servers: Server[] = [];
  const first = createServer(handler);
  const port = await listen(first, options.port ?? 0, host);
  servers.push(first);
  const hosts = [host];
  for (const extra of options.extraHosts ?? ['127.0.0.2', '127.0.0.3', '::1']) {
    const server = createServer(handler);
    try {
      await listen(server, port, extra);
      servers.push(server);
      hosts.push(extra);
    } catch {
      server.close();
    }
  }

  const origin = (h = '127.0.0.1') => `http://${hostForUrl(h)}:${port}`;
  return {
    port,
    hosts,
    verifications,
    origin,
    url: (h = '127.0.0.1', path = '/') => `${origin(h)}${path.startsWith('/') ? path : `/${path}`}`,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const server = await startDemoServer({ port, log: true });
  console.log(`Aldmere city services (Log in with Tessera) at ${server.url()}`);
  console.log(`  the same site as another origin: ${server.url('localhost')}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
