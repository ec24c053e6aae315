/**
 * Stands in for whoever answers for *.chromiumapp.org on the network: Chromium is
 * launched with `args`, which resolve every such name to a local TCP listener that
 * records each connection (and drops it, so TLS fails fast). A sign-in redirect that
 * left the browser, carrying its code and state, would be one of `connections`.
 */
import { createServer, type AddressInfo } from 'node:net';

export interface RedirectHostListener {
  /** Chromium switches that send every *.chromiumapp.org connection here. */
  args: string[];
  /** When each connection arrived (ISO time). */
  connections: string[];
  close(): Promise<void>;
}

export async function listenForRedirectHost(): Promise<RedirectHostListener> {
  const connections: string[] = [];
  const server = createServer((socket) => {
    connections.push(new Date().toISOString());
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    args: [`--host-resolver-rules=MAP *.chromiumapp.org 127.0.0.1:${port}`],
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
