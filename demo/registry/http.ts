/**
 * The bits of plain-Node HTTP the registry and city demo servers share (no framework):
 * responses, a bounded JSON body reader, static files from one folder, listening on
 * several loopback addresses at one port, and the same-origin check for POSTs.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const MAX_BODY = 256 * 1024;

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

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise<string>((resolveP, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
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

export async function serveStatic(res: ServerResponse, dir: string, pathname: string): Promise<void> {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir + sep)) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
  try {
    const body = await readFile(file);
    send(res, 200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  } catch {
    send(res, 404, 'not found', 'text/plain; charset=utf-8');
  }
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
  hosts: string[];
  origin(host?: string): string;
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
