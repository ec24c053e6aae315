/**
 * A throwaway certificate authority for tests that need real HTTPS on loopback
 * (did:web must be fetched over https, even from 127.0.0.1). Made with the `openssl`
 * CLI at test time, so no key or certificate is ever committed: a CA, and a leaf for
 * 127.0.0.1 / localhost signed by it. The test browser trusts the CA through
 * `--ignore-certificate-errors-spki-list=<spkiSha256>` (Chromium accepts a chain in
 * which some certificate's public key hash is on that list), so the server sends the
 * leaf followed by the CA.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** PEM of the leaf key and of the chain (leaf then CA), for node:https. */
  key: string;
  certChain: string;
  /** PEM of the CA certificate alone. */
  caCert: string;
  /** base64 SHA-256 of the CA's SubjectPublicKeyInfo (DER), for Chromium's SPKI list. */
  spkiSha256: string;
  /** The Chromium switch that trusts this CA. */
  chromiumArg: string;
}

/** Generates a CA and a leaf certificate for 127.0.0.1 and localhost (EC P-256, one day). */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-ca-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Tessera Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'leaf.ext'), [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'));
    openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'leaf.ext');
    const caCert = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const leafCert = readFileSync(join(dir, 'leaf.pem'), 'utf8');
    const spki = createPublicKey(caCert).export({ type: 'spki', format: 'der' });
    const spkiSha256 = createHash('sha256').update(spki).digest('base64');
    return {
      key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
      certChain: leafCert + caCert,
      caCert,
      spkiSha256,
      chromiumArg: `--ignore-certificate-errors-spki-list=${spkiSha256}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpsTestServer {
  /** `127.0.0.1:<port>`. */
  host: string;
  port: number;
  url(path: string): string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `handle` over HTTPS on 127.0.0.1 (a free port) with the CA's leaf. */
export async function startHttpsTestServer(ca: TestCa, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<HttpsTestServer> {
  const requests: string[] = [];
  const server: Server = createServer({ key: ca.key, cert: ca.certChain }, (req, res) => {
    requests.push(req.url ?? '');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: (path) => `https://127.0.0.1:${port}${path}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
