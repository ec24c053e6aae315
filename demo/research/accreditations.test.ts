import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredential } from 'did-jwt-vc';
import { bitstringStatus } from '../city/verifier.ts';
import { createEd25519Did, publicKeyFromDidKey, verifyEd25519 } from '../registry/did-key.ts';
import { decodeJwtPayload, didKeyResolver } from '../verify.ts';
import { AccreditationBody, type AccreditationSubject } from '../accreditor/accreditation.ts';
import { startAccreditor, type AccreditorServer } from '../accreditor/server.ts';
import { AccreditationSource, OTHER_ORIGIN, REQUESTER_MODES, accreditorAt, withAlteredPayload, type RequesterMode } from './accreditations.ts';

const ORIGIN = 'http://127.0.0.1:8086';
const institution = createEd25519Did().did;

/**
 * The checks of DESIGN §8 on an accreditation by themselves (the requester VP aside),
 * each on its own so a forgery shows which ones it fails: the wallet stops at the first.
 */
function failedChecks(jwt: string, trusted: string[], origin: string): string[] {
  const [header, payload, signature] = jwt.split('.');
  const claims = decodeJwtPayload(jwt);
  const subject = (claims.vc as { credentialSubject: AccreditationSubject & { id: string } }).credentialSubject;
  const now = Date.now() / 1000;
  const failed: string[] = [];
  if (!trusted.includes(String(claims.iss))) failed.push('issuer not trusted');
  if (!verifyEd25519(`${header}.${payload}`, signature!, publicKeyFromDidKey(String(claims.iss)))) failed.push('bad signature');
  if (!(Number(claims.nbf) <= now && now < Number(claims.exp))) failed.push('expired');
  if (!subject.origins.includes(origin)) failed.push('other origin');
  if (claims.sub !== institution || subject.id !== institution) failed.push('other subject');
  return failed;
}

describe('the accreditation each requester mode presents', () => {
  const board = new AccreditationBody({ baseUrl: 'http://127.0.0.1:9' });
  const source = new AccreditationSource({ subjectDid: institution, origin: ORIGIN, accreditor: board });
  const expected: Record<Exclude<RequesterMode, 'none'>, string[]> = {
    accredited: [],
    'bad-signature': ['bad signature'],
    'other-origin': ['other origin'],
    expired: ['expired'],
    'untrusted-issuer': ['issuer not trusted'],
  };

  for (const [mode, failures] of Object.entries(expected) as [Exclude<RequesterMode, 'none'>, string[]][]) {
    it(`${mode}: fails ${failures.length === 0 ? 'no check' : `only "${failures.join('", "')}"`}`, async () => {
      const made = await source.credentialFor(mode);
      expect(failedChecks(made!.credential, [board.did], ORIGIN)).toEqual(failures);
    });
  }

  it('none: presents no accreditation', async () => {
    expect(await source.credentialFor('none')).toBeNull();
    expect(REQUESTER_MODES).toHaveLength(6);
  });

  it('bad-signature is the real accreditation with wider claims: did-jwt-vc refuses its signature', async () => {
    const real = await source.credentialFor('accredited');
    const forged = await source.credentialFor('bad-signature');
    expect(forged!.credential.split('.')[2]).toBe(real!.credential.split('.')[2]);
    const claims = (jwt: string) => (decodeJwtPayload(jwt).vc as { credentialSubject: AccreditationSubject }).credentialSubject.studies[0]!.claims;
    expect(claims(forged!.credential)).toEqual([...claims(real!.credential), ['birthdate'], ['address']]);
    await expect(verifyCredential(forged!.credential, didKeyResolver)).rejects.toThrow(/signature/i);
    expect((await verifyCredential(real!.credential, didKeyResolver)).issuer).toBe(board.did);
  });

  it('other-origin and expired are genuinely the board\u2019s; untrusted-issuer is validly signed by another body', async () => {
    const other = await source.credentialFor('other-origin');
    expect((await verifyCredential(other!.credential, didKeyResolver)).verifiableCredential.credentialSubject).toMatchObject({ origins: [OTHER_ORIGIN] });
    const expired = decodeJwtPayload((await source.credentialFor('expired'))!.credential);
    expect(expired.iss).toBe(board.did);
    expect(Number(expired.exp)).toBeLessThan(Date.now() / 1000);
    const untrusted = await verifyCredential((await source.credentialFor('untrusted-issuer'))!.credential, didKeyResolver);
    expect(untrusted.issuer).toBe(source.unlistedBody.did);
    expect(untrusted.issuer).not.toBe(board.did);
  });

  it('makes each once (the board lists only what was used), and refuses modes that need a board when there is none', async () => {
    const count = board.issued.length;
    await source.credentialFor('accredited');
    await source.credentialFor('bad-signature');
    expect(board.issued.length).toBe(count);
    const unaccredited = new AccreditationSource({ subjectDid: institution, origin: ORIGIN });
    for (const mode of ['accredited', 'bad-signature', 'other-origin', 'expired'] as const) {
      await expect(unaccredited.credentialFor(mode)).rejects.toThrow('this portal has no accreditation body');
    }
    expect(await unaccredited.credentialFor('untrusted-issuer')).not.toBeNull();
  });
});

describe('accreditorAt (the board over HTTP)', () => {
  let server: AccreditorServer;
  beforeAll(async () => {
    server = await startAccreditor();
  });
  afterAll(() => server.close());

  it('gets an accreditation the board lists and can revoke, and reports the board\u2019s refusal', async () => {
    const link = accreditorAt(server.url());
    const source = new AccreditationSource({ subjectDid: institution, origin: ORIGIN, accreditor: link });
    const made = await source.credentialFor('accredited');
    expect(server.body.find(made!.id)?.subjectDid).toBe(institution);
    const entry = (await verifyCredential(made!.credential, didKeyResolver)).verifiableCredential.credentialStatus as unknown as Record<string, unknown>;
    expect(server.revoke(made!.id)).toBe(true);
    expect(await bitstringStatus(entry, server.did)).toBe(true);
    await expect(link.issue('not a did', {} as AccreditationSubject)).rejects.toThrow('did not accredit: the subject must be a DID');
  });
});

describe('withAlteredPayload', () => {
  it('keeps the header and signature, replaces the payload', () => {
    const jwt = `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('{"a":1}').toString('base64url')}.c2ln`;
    const altered = withAlteredPayload(jwt, (p) => (p.a = 2));
    expect(altered.split('.')[0]).toBe(jwt.split('.')[0]);
    expect(altered.split('.')[2]).toBe('c2ln');
    expect(decodeJwtPayload(altered)).toEqual({ a: 2 });
  });
});
