/**
 * The demo verifier: "Aldmere City Services — resident parking permit".
 *
 * Serves `demo/sites/city/` (and `/shared/`, see ../http.ts) and:
 * - `POST /api/request` `{ credential: 'pid'|'resident', signed?: boolean }` → a fresh
 *   OpenID4VP request for the page to pass to `navigator.credentials.get`:
 *   `{ requestId, protocol, data, nonce, clientId }` (signed requests name the page's
 *   origin in `expected_origins`);
 * - `POST /api/verify` `{ requestId, response }` → verifies the wallet's answer
 *   (`response` is the DigitalCredential's `data`, or the whole `{ protocol, data }`)
 *   for the page's origin and the request's nonce, once per request, with independent
 *   libraries (see verifier.ts) → `{ verified: true, answers }` or `{ verified: false, error }`;
 * - `GET /api/config` → `{ clientId, trustedIssuers }`; `GET /plain` an empty page.
 *
 * Standalone: `npx tsx demo/city/server.ts [port] [trusted issuer DID…]`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { HttpError, closeOnSignals, handle, json, listenOn, readJson, runAsScript, sameOrigin, serveSite, siteDir, type Listening } from '../http.ts';
import { createEd25519Did, type Ed25519Did } from '../registry/did-key.ts';
import { buildRequest, clientIdOf, type BuildRequestOptions, type BuiltRequest, type RequestedCredential } from './requests.ts';
import { verifyDcApiResponse, type VerifiedQueryAnswer } from './verifier.ts';

export const CITY_SITE_DIR = siteDir('city');
const REQUEST_TTL_MS = 5 * 60_000;

export interface TrustedIssuer {
  did: string;
  name: string;
}

export interface CityServerOptions {
  port?: number;
  host?: string;
  /** Same port on more loopback addresses (best effort). Default none. */
  extraHosts?: string[];
  /** Issuers whose credentials the city accepts. Default: any issuer (shown as unknown). */
  trustedIssuers?: TrustedIssuer[];
  /** The city's own key for signed requests (default: a new one). */
  key?: Ed25519Did;
  log?: boolean;
}

export interface CityVerification {
  at: string;
  requestId: string;
  origin: string;
  ok: boolean;
  signed: boolean;
  answers?: VerifiedQueryAnswer[];
  error?: string;
  /** The `data` the wallet answered with, as the site received it. */
  response?: unknown;
}

export interface PendingRequest extends BuiltRequest {
  requestId: string;
  origin: string;
  expiresAt: number;
}

export interface CityServer extends Listening {
  /** The city's verifier identity (signed requests): did:key and `decentralized_identifier:` client id. */
  key: Ed25519Did;
  clientId: string;
  trustedIssuers: TrustedIssuer[];
  verifications: CityVerification[];
  /** Same as POST /api/request, for a page at `origin` (tests build variants with `options`). */
  createRequest(origin: string, options?: BuildRequestOptions): Promise<PendingRequest>;
  /** Same as POST /api/verify: single use per request. */
  verifyResponse(requestId: string, response: unknown, origin: string): Promise<CityVerification>;
}

export async function startCity(options: CityServerOptions = {}): Promise<CityServer> {
  const host = options.host ?? '127.0.0.1';
  const key = options.key ?? createEd25519Did();
  const trustedIssuers = options.trustedIssuers ?? [];
  const pending = new Map<string, PendingRequest>();
  const verifications: CityVerification[] = [];

  const sweep = () => {
    const now = Date.now();
    for (const [id, request] of pending) if (request.expiresAt < now) pending.delete(id);
  };

  const createRequest = async (origin: string, build: BuildRequestOptions = {}): Promise<PendingRequest> => {
    sweep();
    const built = await buildRequest(key, { expectedOrigins: [origin], ...build });
    const request: PendingRequest = {
      ...built,
      requestId: randomBytes(16).toString('base64url'),
      origin,
      expiresAt: Date.now() + REQUEST_TTL_MS,
    };
    pending.set(request.requestId, request);
    return request;
  };

  const verifyResponse = async (requestId: string, response: unknown, origin: string): Promise<CityVerification> => {
    sweep();
    const request = pending.get(requestId);
    const record = (ok: boolean, extra: Partial<CityVerification>): CityVerification => {
      const entry: CityVerification = { at: new Date().toISOString(), requestId, origin, ok, signed: request?.clientId != null, ...extra };
      verifications.push(entry);
      if (options.log) {
        console.log(
          ok
            ? `[city] ${origin} verified ${entry.answers?.map((a) => `${a.queryId}: ${Object.keys(a.claims).join(', ')}`).join('; ')}`
            : `[city] ${origin} refused: ${entry.error}`,
        );
      }
      return entry;
    };
    if (!request) return record(false, { error: 'unknown request: the nonce was not issued by this site, expired, or was already used' });
    pending.delete(requestId); // single use, whatever the outcome
    if (request.origin !== origin) return record(false, { error: `the request was made for ${request.origin}, not ${origin}` });
    const data =
      response !== null && typeof response === 'object' && 'data' in response && 'protocol' in response
        ? (response as { data: unknown }).data
        : response;
    const received = { response: data };
    try {
      const answers = await verifyDcApiResponse(request.payload, data, {
        origin,
        trustedIssuers: trustedIssuers.length > 0 ? trustedIssuers.map((i) => i.did) : undefined,
      });
      return record(true, { answers, ...received });
    } catch (error) {
      return record(false, { error: (error as Error).message, ...received });
    }
  };

  const issuerName = (did: string) => trustedIssuers.find((i) => i.did === did)?.name ?? null;

  const apiRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    const credential = body.credential ?? 'pid';
    if (credential !== 'pid' && credential !== 'resident') throw new HttpError(400, "credential must be 'pid' or 'resident'");
    const request = await createRequest(origin, { credential: credential as RequestedCredential, signed: body.signed === true });
    json(res, 200, {
      requestId: request.requestId,
      protocol: request.protocol,
      data: request.data,
      nonce: request.nonce,
      clientId: request.clientId,
    });
  };

  const apiVerify = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = sameOrigin(req);
    const body = await readJson(req);
    if (typeof body.requestId !== 'string') throw new HttpError(400, 'requestId must be a string');
    const result = await verifyResponse(body.requestId, body.response, origin);
    if (!result.ok) return json(res, 401, { verified: false, error: result.error });
    json(res, 200, {
      verified: true,
      signed: result.signed,
      answers: result.answers?.map((a) => ({ ...a, issuerName: issuerName(a.issuer) })),
    });
  };

  const handler = handle(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://city.invalid');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'POST /api/request':
        return await apiRequest(req, res);
      case 'POST /api/verify':
        return await apiVerify(req, res);
      case 'GET /api/config':
        return json(res, 200, { clientId: clientIdOf(key), trustedIssuers });
      default:
        return await serveSite(req, res, CITY_SITE_DIR, url.pathname);
    }
  });

  const listening = await listenOn(handler, { port: options.port, host, extraHosts: options.extraHosts ?? [] });
  return {
    ...listening,
    key,
    clientId: clientIdOf(key),
    trustedIssuers,
    verifications,
    createRequest,
    verifyResponse,
  };
}

if (runAsScript(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8082);
  const trusted = process.argv.slice(3).map((did) => ({ did, name: 'Aldmere Civic Registry' }));
  const server = await startCity({ port, trustedIssuers: trusted, log: true });
  console.log(`Aldmere City Services (Digital Credentials API) at ${server.url()}`);
  console.log(`  verifier client_id ${server.clientId}`);
  closeOnSignals(server);
}
