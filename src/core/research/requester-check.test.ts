import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestIssuer, issueJwtVc, testResolver, withEditedPayload, withTamperedSignature, type TestKey } from '../../../test/support/issuers.ts';
import { INSTITUTION, issueAccreditation, signRequesterVp, STUDY_ID, studyClaims, type AccreditationOptions } from '../../../test/support/research.ts';
import type { CredentialStatus, CredentialStatusState, DidResolver, VerifiedCredential } from '../credentials/types.ts';
import { checkRequester, type CheckedRequest, type RequesterCheck } from './requester-check.ts';

const PORTAL = 'http://127.0.0.1:7301';
const NONCE = 'research-nonce-0001';
const BOARD = 'Aldmere Research Ethics Board';
const LIST_URL = 'http://127.0.0.1:7302/status/accreditations';

let body: TestKey;
let stranger: TestKey;
let requester: TestKey;

beforeAll(async () => {
  [body, stranger, requester] = await Promise.all([createTestIssuer(), createTestIssuer(), createTestIssuer()]);
});

const request = (overrides: Partial<CheckedRequest> = {}): CheckedRequest => ({
  origin: PORTAL,
  nonce: NONCE,
  purposes: ['dpv:ScientificResearch', 'duo:0000006'],
  claimPaths: [['age_band'], ['region'], ['diagnosis_codes']],
  ...overrides,
});

/** The check's ports, recording what it resolved and whose status it asked for. */
function deps(options: { state?: CredentialStatusState; now?: number } = {}) {
  const resolved: string[] = [];
  const base = testResolver();
  const resolver: DidResolver = {
    resolve: (url) => {
      resolved.push(url);
      return base.resolve(url);
    },
  };
  const statusOf = vi.fn(
    async (_credential: VerifiedCredential): Promise<CredentialStatus> => ({
      state: options.state ?? 'valid',
      checkedAt: new Date().toISOString(),
      reason: options.state === 'unknown' ? 'the status list could not be fetched' : null,
      nextCheckAt: null,
    }),
  );
  const accreditorLabel = vi.fn(async (did: string) => (did === body.did ? BOARD : null));
  return { resolved, statusOf, accreditorLabel, ports: { resolver, now: options.now ?? Date.now(), accreditorLabel, statusOf } };
}

const accreditation = (options: Partial<AccreditationOptions> = {}, issuer = body, subject = requester.did) =>
  issueAccreditation(issuer, subject, { origins: [PORTAL], status: { listUrl: LIST_URL, index: 7 }, ...options });

async function vpWith(credentials: string[], options: Partial<Parameters<typeof signRequesterVp>[1]> = {}, signer = requester) {
  return signRequesterVp(signer, { origin: PORTAL, nonce: NONCE, credentials, ...options });
}

async function check(vp: string, options: Parameters<typeof deps>[0] = {}, checked: CheckedRequest = request()) {
  const ports = deps(options);
  return { result: await checkRequester(vp, checked, ports.ports), ...ports };
}

function reasonOf(result: RequesterCheck): string {
  if (result.verified) throw new Error('expected an unverified requester');
  return result.reason;
}

describe('checkRequester: a verified requester', () => {
  it('returns the accreditation facts, the body on the list and the study, after checking the status', async () => {
    const jwt = await accreditation({ jti: 'urn:uuid:accreditation-0001' });
    const { result, statusOf } = await check(await vpWith([jwt]));
    expect(result).toMatchObject({
      verified: true,
      did: requester.did,
      accreditorDid: body.did,
      accreditorLabel: BOARD,
      credentialId: 'urn:uuid:accreditation-0001',
      accreditation: { name: INSTITUTION, origins: [PORTAL], affiliationAndRole: 'researcher@aich.example', researcherStatus: 'bona fide researcher' },
      study: { id: STUDY_ID, ethicsApproval: 'AERB-2026-117', dataUses: ['duo:0000006', 'duo:0000007'], dataCategories: ['health'] },
    });
    expect(statusOf).toHaveBeenCalledTimes(1);
    expect(statusOf.mock.calls[0]![0].status).toEqual([{ kind: 'bitstring', purpose: 'revocation', index: 7, listUrl: LIST_URL }]);
  });

  it("chooses the study the presentation names, even over one covering more of the request", async () => {
    const studies = [studyClaims(), studyClaims({ id: 'AICH-2026-099', title: 'Sleep', dataUses: ['duo:0000007'], claims: [['sleep_hours']] })];
    const { result } = await check(await vpWith([await accreditation({ studies })], { study: 'AICH-2026-099' }));
    expect(result.verified && result.study.id).toBe('AICH-2026-099');
  });

  it('chooses the only study when the presentation names none, however little of the request it covers', async () => {
    const studies = [studyClaims({ id: 'AICH-2026-050', dataUses: ['duo:0000007'], claims: [['sleep_hours']] })];
    const { result } = await check(await vpWith([await accreditation({ studies })]));
    expect(result.verified && result.study.id).toBe('AICH-2026-050');
  });

  it('otherwise chooses the study whose data uses and claims cover most of the request', async () => {
    const narrow = studyClaims({ id: 'AICH-2026-001', dataUses: ['duo:0000007'], claims: [['region']] });
    const broad = studyClaims({ id: 'AICH-2026-002' });
    for (const studies of [[narrow, broad], [broad, narrow]]) {
      const { result } = await check(await vpWith([await accreditation({ studies })]));
      expect(result.verified && result.study.id).toBe('AICH-2026-002');
    }
  });

  it('accepts a presentation valid for exactly 10 minutes', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const { result } = await check(await vpWith([await accreditation()], { iat, exp: iat + 600 }));
    expect(result.verified).toBe(true);
  });
});

describe('checkRequester: an unverified requester and the reason', () => {
  it('a presentation that is not a JWT', async () => {
    const { result } = await check('not-a-jwt');
    expect(result).toMatchObject({ verified: false, did: null });
    expect(reasonOf(result)).toMatch(/^The requester's presentation is not a signed JWT/);
  });

  it('a presentation whose signature is forged', async () => {
    const { result } = await check(withTamperedSignature(await vpWith([await accreditation()])));
    expect(result).toMatchObject({ verified: false, did: requester.did });
    expect(reasonOf(result)).toMatch(/^The requester's presentation is not validly signed by did:key:/);
  });

  it('a presentation signed by another key than the DID its iss names', async () => {
    const byStranger = await signRequesterVp(stranger, { origin: PORTAL, nonce: NONCE, credentials: [await accreditation()] });
    const forged = withEditedPayload(byStranger, (claims) => {
      claims.iss = requester.did;
    });
    expect(reasonOf((await check(forged)).result)).toMatch(/^The requester's presentation is not validly signed by did:key:/);
  });

  it('a presentation for another origin', async () => {
    const { result } = await check(await vpWith([await accreditation()], { aud: 'origin:http://127.0.0.1:9999' }));
    expect(reasonOf(result)).toBe(`The requester's presentation is for origin:http://127.0.0.1:9999, not for this site (origin:${PORTAL}).`);
  });

  it('a presentation made for another nonce', async () => {
    const { result } = await check(await vpWith([await accreditation()], { nonce: 'research-nonce-0002' }));
    expect(reasonOf(result)).toBe("The requester's presentation was made for another request (its nonce differs).");
  });

  it('a presentation without exp', async () => {
    const { result } = await check(await vpWith([await accreditation()], { exp: null }));
    expect(reasonOf(result)).toBe("The requester's presentation has no expiry (exp).");
  });

  it('a presentation valid for more than 10 minutes', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const { result } = await check(await vpWith([await accreditation()], { iat, exp: iat + 601 }));
    expect(reasonOf(result)).toBe("The requester's presentation is valid for more than 10 minutes (exp − iat).");
  });

  it('a presentation that has expired (the clock past exp)', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const vp = await vpWith([await accreditation()], { iat, exp: iat + 300 });
    const { result } = await check(vp, { now: (iat + 300 + 61) * 1000 });
    expect(reasonOf(result)).toBe("The requester's presentation has expired.");
  });

  it('a presentation dated in the future, or naming no signer', async () => {
    const iat = Math.floor(Date.now() / 1000) + 120;
    expect(reasonOf((await check(await vpWith([await accreditation()], { iat, exp: iat + 300 }))).result)).toBe("The requester's presentation is dated in the future (iat).");
    const anonymous = withEditedPayload(await vpWith([await accreditation()]), (claims) => {
      delete claims.iss;
    });
    expect((await check(anonymous)).result).toEqual({ verified: false, did: null, reason: "The requester's presentation names no signer (iss)." });
  });

  it('a presentation without an accreditation, or with only another credential', async () => {
    expect(reasonOf((await check(await vpWith([]))).result)).toBe("The requester's presentation holds no accreditation credential.");
    const other = await issueJwtVc(body, { subjectDid: requester.did, types: ['LibraryCard'], claims: { name: 'x' } });
    expect(reasonOf((await check(await vpWith([other]))).result)).toBe("The requester's presentation holds no ResearchAccreditation credential (as a JWT).");
  });

  it('an accreditation by a body not on the list: nothing about it is resolved and no status is fetched', async () => {
    const jwt = await accreditation({}, stranger);
    const { result, resolved, statusOf, accreditorLabel } = await check(await vpWith([jwt]));
    expect(reasonOf(result)).toBe(`The accreditation is issued by ${stranger.did}, which is not on your list of accreditation bodies.`);
    expect(accreditorLabel).toHaveBeenCalledWith(stranger.did);
    // Only the requester's own DID was resolved (for its VP), never the untrusted issuer's.
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((url) => url.startsWith(requester.did))).toBe(true);
    expect(statusOf).not.toHaveBeenCalled();
  });

  it('an accreditation whose signature is bad', async () => {
    const { result, statusOf } = await check(await vpWith([withTamperedSignature(await accreditation())]));
    expect(reasonOf(result)).toMatch(/^The accreditation does not verify: /);
    expect(statusOf).not.toHaveBeenCalled();
  });

  it('an accreditation for another DID than the one that signed the presentation', async () => {
    const { result } = await check(await vpWith([await accreditation({}, body, stranger.did)]));
    expect(reasonOf(result)).toBe(`The accreditation is not for the requester that signed the request (${requester.did}).`);
  });

  it('an accreditation that has expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { result, statusOf } = await check(await vpWith([await accreditation({ nbf: now - 3 * 86_400, exp: now - 86_400 })]));
    expect(reasonOf(result)).toMatch(/^The accreditation does not verify: The credential expired on /);
    expect(statusOf).not.toHaveBeenCalled();
  });

  it('an accreditation its body revoked', async () => {
    const { result } = await check(await vpWith([await accreditation()]), { state: 'revoked' });
    expect(reasonOf(result)).toBe(`The accreditation was revoked by ${BOARD}.`);
  });

  it('an accreditation whose status cannot be checked (fail closed)', async () => {
    const { result } = await check(await vpWith([await accreditation()]), { state: 'unknown' });
    expect(reasonOf(result)).toBe("The accreditation's status could not be checked: the status list could not be fetched.");
  });

  it('a requesting origin the accreditation does not list', async () => {
    const jwt = await accreditation({ origins: ['http://127.0.0.1:7399'] });
    const { result } = await check(await vpWith([jwt]));
    expect(reasonOf(result)).toBe(`The accreditation does not cover this site (${PORTAL}); it lists http://127.0.0.1:7399.`);
  });

  it('a study the accreditation does not list', async () => {
    const { result } = await check(await vpWith([await accreditation()], { study: 'AICH-2026-404' }));
    expect(reasonOf(result)).toBe('The request names study AICH-2026-404, which its accreditation does not list.');
  });

  it("a study whose approval's validUntil has passed", async () => {
    const jwt = await accreditation({ studies: [studyClaims({ validUntil: '2020-06-30T00:00:00Z' })] });
    const { result } = await check(await vpWith([jwt]));
    expect(reasonOf(result)).toBe(`The approval of study ${STUDY_ID} ended on 2020-06-30.`);
  });
});
