/**
 * The demo relying party: "Aldmere city services — Log in with Tessera".
 *
 * A plain Node http server (no framework, helpers in `http.ts`) that serves
 * `demo/sites/login/` (and `demo/sites/shared/` as `/shared/`) and two endpoints:
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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NonceStore, closeOnSignals, handle, json, listenOn, readBody, runAsScript, serveSite, siteDir, type Listening } from './http.ts';
import { decodeJwtPayload, verifyLoginPresentation } from './verify.ts';

export { SITES_DIR } from './http.ts';
const LOGIN_DIR = siteDir('login');
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

export interface DemoServer extends Listening {
  /** Every verification attempt, oldest first. */
  verifications: VerificationRecord[];
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const nonces = new NonceStore(NONCE_TTL_MS);
  const verifications: VerificationRecord[] = [];

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
      presentation = (JSON.parse(await readBody(req, MAX_BODY)) as { presentation?: unknown }).presentation;
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
    // Single use: taken here, whatever the outcome.
    if (!nonces.take(nonce)) return fail(401, 'the nonce was not issued by this site, expired, or was already used');
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

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === 'GET /api/nonce') {
      const { nonce, expiresAt } = nonces.issue();
      return json(res, 200, { nonce, expiresAt: new Date(expiresAt).toISOString() });
    }
    if (route === 'POST /api/verify') return await verify(req, res);
    return await serveSite(req, res, LOGIN_DIR, url.pathname);
  });

  const listening = await listenOn(handler, {
    port: options.port,
    host: options.host,
    extraHosts: options.extraHosts ?? ['127.0.0.2', '127.0.0.3', '::1'],
  });
  return { ...listening, verifications };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const server = await startDemoServer({ port, log: true });
  console.log(`Aldmere city services (Log in with Tessera) at ${server.url()}`);
  console.log(`  the same site as another origin: ${server.url('localhost')}`);
  closeOnSignals(server);
}
