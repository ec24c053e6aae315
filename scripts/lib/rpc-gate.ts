/**
 * A gate in front of a JSON-RPC node: a small HTTP proxy that tests close (the chain
 * becomes unreachable, connections are refused) and open again on the same port. A
 * hardhat node forgets everything when it exits, so "the chain goes down and comes
 * back" is played by the gate while the node behind it keeps its state.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface RpcGate {
  /** `http://127.0.0.1:<port>`: give this to the wallet instead of the node's URL. */
  url: string;
  /**
   * Stops listening and cuts every open connection (in-flight requests fail): new
   * connections are refused from now on. A client that pools connections may see its
   * next request on a cut one fail with ECONNRESET before it notices.
   */
  close(): Promise<void>;
  /** Listens again on the same port; the node behind, and its state, are unchanged. */
  open(): Promise<void>;
  /** Closes for good. */
  stop(): Promise<void>;
}

/** Starts an open gate on a free port of 127.0.0.1 forwarding every request to `targetUrl`. */
export async function startRpcGate(targetUrl: string): Promise<RpcGate> {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:') throw new Error(`rpc gate forwards to http:// URLs only, not ${targetUrl}`);

  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let stopped = false;

  const listen = async () => {
    const next = createServer((req, res) => forward(target, req, res));
    next.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolveListen, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.removeListener('error', reject);
        resolveListen();
      });
    });
    const address = next.address();
    if (address === null || typeof address === 'string') throw new Error('rpc gate: no TCP address after listening');
    port = address.port;
    server = next;
  };

  const close = async () => {
    const current = server;
    if (!current) return;
    server = null;
    const closed = new Promise<void>((resolveClose) => current.close(() => resolveClose()));
    // Keep-alive connections would otherwise still reach the node.
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    close,
    open: async () => {
      if (stopped) throw new Error('rpc gate was stopped; start a new one');
      if (!server) await listen();
    },
    stop: async () => {
      stopped = true;
      await close();
    },
  };
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstreamUrl = new URL(req.url ?? '/', target);
  const upstream = request(
    upstreamUrl,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`rpc gate: the node at ${target.origin} did not answer: ${error.message}`);
  });
  // A client gone (or cut by close()) abandons its upstream request too.
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
