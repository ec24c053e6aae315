import { describe, expect, it } from 'vitest';
import { verifyCredential } from 'did-jwt-vc';
import { didKeyResolver } from '../verify.ts';
import { createEd25519Did } from './did-key.ts';
import { RegistryIssuer } from './issuer.ts';

describe('RegistryIssuer status lists', () => {
  it('revokes a resident card in its Bitstring list and a PID in its Token list, each on its own list', async () => {
    const issuer = new RegistryIssuer({ origin: 'http://127.0.0.1:9' });
    const holder = createEd25519Did().did;
    const [resident, pid] = await issuer.issueAll(holder);
    const vc = await verifyCredential(resident!.credential, didKeyResolver);
    expect(vc.verifiableCredential.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusListIndex: String(resident!.statusIndex),
      statusListCredential: 'http://127.0.0.1:9/status/revocation',
    });
    expect(issuer.revoke('revocation', resident!.statusIndex)).toBe(true);
    expect(issuer.isRevoked('revocation', resident!.statusIndex)).toBe(true);
    expect(issuer.issued.find((c) => c.kind === 'resident')?.revoked).toBe(true);
    expect(issuer.issued.find((c) => c.kind === 'pid')?.revoked).toBe(false);
    expect(issuer.revoke('token', pid!.statusIndex)).toBe(true);
    expect(issuer.isRevoked('token', pid!.statusIndex)).toBe(true);
    // An index the registry never issued changes nothing.
    const unused = (pid!.statusIndex + 1) % (2 * 1024 * 8);
    expect(issuer.revoke('token', unused)).toBe(false);
  });
});
