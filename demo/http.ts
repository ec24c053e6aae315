/**
 * The plain-Node HTTP (no framework) the three demo servers share: responses, a bounded
 * body reader, the same-origin check for POSTs, single-use nonces, a site's files (plus
 * `/shared/…` for all of them) and the routes every site has, listening on several
 * loopback addresses at one port, and running a server as a script.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `demo/sites/`: a folder per site, and `shared/` (served by every site under `/shared/`). */
export const SITES_DIR = resolve(import.meta.dirname, 'sites');
export const SHARED_DIR = join(SITES_DIR, 'shared');

/** The folder of one site's pages, e.g. `siteDir('login')`. */
export function siteDir(name: string): string {
  return join(SITES_DIR, name);
}

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const TEXT = 'text/plain; charset=utf-8';

export const PLAIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>plain test page</title></head>
<body><p>A page with nothing on it but the wallet's provider.</p></body></html>
`;

export function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  res.end(body);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body as text; past `maxBytes` it rejects with a 413 HttpError. */
export function readBody(req: IncomingMessage, maxBytes = 256 * 1024): Promise<string> {
  return new Promise<string>((resolveP, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new HttpError(413, 'body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveP(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'the body must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** The page origin of a POST from one of our own pages; refuses cross-origin and Origin-less calls. */
export function sameOrigin(req: IncomingMessage): string {
  const origin = req.headers.origin;
  if (!origin || origin === 'null') throw new HttpError(403, 'missing Origin header');
  if (origin !== `http://${req.headers.host ?? ''}`) throw new HttpError(403, `cross-origin request refused (${origin})`);
  return origin;
}

/** Single-use challenges that expire after `ttlMs`. */
export class NonceStore {
  private readonly issued = new Map<string, number>(); // nonce → expiry (ms)

  constructor(private readonly ttlMs: number) {}

  issue(): { nonce: string; expiresAt: number } {
    this.sweep();
    const nonce = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + this.ttlMs;
    this.issued.set(nonce, expiresAt);
    return { nonce, expiresAt };
  }

  /** Whether we issued `nonce` and it has not expired; it is used up either way. */
  take(nonce: unknown): nonce is string {
    this.sweep();
    return typeof nonce === 'string' && this.issued.delete(nonce);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [nonce, expires] of this.issued) if (expires < now) this.issued.delete(nonce);
  }
}

export async function serveStatic(res: ServerResponse, dir: string, pathname: string): Promise<void> {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir + sep)) return send(res, 404, 'not found', TEXT);
  try {
    const body = await readFile(file);
    send(res, 200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  } catch {
    send(res, 404, 'not found', TEXT);
  }
}

/**
 * What every demo site answers besides its API: `GET /plain` (an empty page for tests
 * that call `window.tessera` directly), `GET /healthz`, and for GET or HEAD its files
 * from `dir`, `/shared/…` from `demo/sites/shared/`; any other method is a 405.
 */
export async function serveSite(req: IncomingMessage, res: ServerResponse, dir: string, pathname: string): Promise<void> {
  const route = `${req.method ?? 'GET'} ${pathname}`;
  if (route === 'GET /plain' || route === 'GET /plain/') return send(res, 200, PLAIN_PAGE, CONTENT_TYPES['.html'] as string);
  if (route === 'GET /healthz') return json(res, 200, { ok: true });
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', TEXT);
  if (pathname.startsWith('/shared/')) return await serveStatic(res, SHARED_DIR, pathname.slice('/shared'.length));
  return await serveStatic(res, dir, pathname);
}

/** Runs an async route handler; an HttpError becomes its status, anything else a 500. */
export function handle(run: (req: IncomingMessage, res: ServerResponse) => Promise<void>): RequestListener {
  return (req, res) => {
    run(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!res.headersSent) json(res, status, { error: (error as Error).message });
      else res.destroy();
    });
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export interface Listening {
  port: number;
  /** Hosts it listens on. */
  hosts: string[];
  /** e.g. origin('localhost') → http://localhost:PORT */
  origin(host?: string): string;
  /** e.g. url('localhost', '/plain') → http://localhost:PORT/plain */
  url(host?: string, path?: string): string;
  close(): Promise<void>;
}

/** Listens on `host` (free port unless given), then best effort on the same port of `extraHosts`. */
export async function listenOn(
  handler: RequestListener,
  { port = 0, host = '127.0.0.1', extraHosts = [] }: { port?: number; host?: string; extraHosts?: string[] },
): Promise<Listening> {
  const listen = (server: Server, p: number, on: string) =>
    new Promise<number>((resolveP, reject) => {
      server.once('error', reject);
      server.listen(p, on, () => {
        server.off('error', reject);
        const address = server.address();
        resolveP(typeof address === 'object' && address ? address.port : p);
      });
    });
  const servers: Server[] = [];
  const first = createServer(handler);
  const actual = await listen(first, port, host);
  servers.push(first);
  const hosts = [host];
  for (const extra of extraHosts) {
    const server = createServer(handler);
    try {
      await listen(server, actual, extra);
      servers.push(server);
      hosts.push(extra);
    } catch {
      server.close();
    }
  }
  const origin = (h = host) => `http://${hostForUrl(h)}:${actual}`;
  return {
    port: actual,
    hosts,
    origin,
    url: (h = host, path = '/') => `${origin(h)}${path.startsWith('/') ? path : `/${path}`}`,
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

/** Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was started with. */
export function runAsScript(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(resolve(process.argv[1] as string)).href;
}

/** Closes `server` and exits on Ctrl+C or SIGTERM. */
export function closeOnSignals(server: { close(): Promise<void> }): void {
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
