/** A trivial page on 127.0.0.1 for the wallets' content scripts to run in. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Tessera bench site</title></head>
  <body><h1>Bench site</h1><p>Requests come from this page.</p></body>
</html>
`;

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(PAGE);
  });
  await new Promise<void>((resolveP, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveP());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolveP) => {
        server.closeAllConnections();
        server.close(() => resolveP());
      }),
  };
}
