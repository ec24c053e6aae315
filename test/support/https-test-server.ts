/**
 * A small HTTPS (or plain HTTP, to show it refused) server on 127.0.0.1 serving fixed
 * documents by path, e.g. did:web documents. Responses carry what `serve` gives.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './test-ca.ts';

export interface ServedDocument {
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestDocumentServer {
  port: number;
  origin: string;
  /** Serves `document` at `path` from now on. */
  serve(path: string, document: ServedDocument): void;
  /** Paths requested, in order. */
  requested: string[];
  close(): Promise<void>;
}

/** HTTPS with `certificates`, or plain HTTP when none are given. */
export async function startDocumentServer(certificates?: TestCertificates): Promise<TestDocumentServer> {
  const documents = new Map<string, ServedDocument>();
  const requested: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    const doc = documents.get(path);
    if (!doc) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': doc.contentType ?? 'application/did+json', ...doc.headers }).end(doc.body);
  };
  const server = certificates ? createHttpsServer({ cert: certificates.chainPem, key: certificates.keyPem }, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `${certificates ? 'https' : 'http'}://127.0.0.1:${port}`,
    serve: (path, document) => documents.set(path, document),
    requested,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
