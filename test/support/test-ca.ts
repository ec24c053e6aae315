/**
 * A throwaway certificate authority and a leaf certificate for 127.0.0.1 and
 * localhost, made at test time with the openssl CLI, so an e2e browser can reach an
 * HTTPS server on loopback (did:web is https only). The browser trusts it through
 * `--ignore-certificate-errors-spki-list` with `spkiHash` (the CA's and the leaf's).
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** The leaf's certificate followed by the CA's (PEM), as the server sends it. */
  chainPem: string;
  keyPem: string;
  caPem: string;
  /** Base64 SHA-256 of the CA's and the leaf's SubjectPublicKeyInfo, for Chromium's SPKI list. */
  spkiHashes: string[];
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-ca-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=Tessera test CA',
      '-keyout', file('ca.key'), '-out', file('ca.pem'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('leaf.key'), '-out', file('leaf.csr'));
    writeFileSync(file('leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    openssl('x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2',
      '-extfile', file('leaf.ext'), '-out', file('leaf.pem'));
    const caPem = readFileSync(file('ca.pem'), 'utf8');
    const leafPem = readFileSync(file('leaf.pem'), 'utf8');
    return {
      chainPem: leafPem + caPem,
      keyPem: readFileSync(file('leaf.key'), 'utf8'),
      caPem,
      spkiHashes: [caPem, leafPem].map(spkiHash),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
