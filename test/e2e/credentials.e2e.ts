/**
 * The citizen journey, issuing and holding: the civic registry (its own origin) learns
 * the holder's pairwise DID, issues a resident JWT VC and a PID SD-JWT VC, offers them;
 * the wallet shows issuer, trust, status and claims, and keeps them on approval.
 * Credentials made by independent code (did-jwt-vc, @sd-jwt/sd-jwt-vc) are accepted;
 * tampered, unbound, expired and revoked ones are refused with -32602 and no window.
 * When the registry revokes, the city's request no longer matches anything
 * (NotAllowedError) and the dashboard shows the credential revoked.
 *
 * One browser for the whole file; the tests run in order and build on each other.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { jwkFromDidKey } from '../../demo/registry/did-key.ts';
import { PID_VCT } from '../../demo/registry/issuer.ts';
import { UNSIGNED } from '../../demo/city/requests.ts';
import { decodeJwtHeader, decodeJwtPayload } from '../../demo/verify.ts';
import { expectError, expectNoApprovalWindow, expectOk } from './support.ts';
import {
  closeStrayApprovals,
  decide,
  digital,
  dismissNoMatchWindow,
  expectNoMatch,
  firstApproval,
  hostOf,
  issueOnRegistryPage,
  makeJwtVc,
  makeSdJwtVc,
  newTestIssuer,
  openCredential,
  openDashboard,
  openPage,
  startCitizenHarness,
  trustIssuer,
  type CitizenHarness,
} from './credential-support.ts';

let h: CitizenHarness;
let registryPage: Page;
let holder: string;
let residentId: string;
let pidId: string;

beforeAll(async () => {
  h = await startCitizenHarness();
  registryPage = await openPage(h.context, h.registry.url());
});

afterAll(async () => {
  await h?.close();
});

const issuedTo = (did: string) => h.registry.issuer.issued.filter((c) => c.holder === did);

/** Clicks "Add to Tessera" for `kind` on the registry page and returns the approval window. */
async function offerFromPage(kind: 'resident' | 'pid'): Promise<Page> {
  await registryPage.getByTestId(`offer-result-${kind}`).evaluate((el) => (el.textContent = ''));
  const approvalP = waitForApprovalPage(h.context);
  await registryPage.getByTestId(`offer-${kind}`).click();
  const approval = await approvalP;
  await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
  return approval;
}

async function offerResult(kind: 'resident' | 'pid', states: string[]): Promise<{ state: string; text: string }> {
  const el = registryPage.getByTestId(`offer-result-${kind}`);
  await expect.poll(() => el.getAttribute('data-state'), { timeout: 15_000 }).toMatch(new RegExp(`^(${states.join('|')})$`));
  return { state: (await el.getAttribute('data-state')) ?? '', text: (await el.textContent()) ?? '' };
}

describe('issuing at the civic registry', () => {
  test('the registry learns the pairwise DID through wallet_requestIdentity and issues a JWT VC and an SD-JWT VC for it', async () => {
    await expect.poll(() => registryPage.getByTestId('provider-hint').getAttribute('data-found')).toBe('true');
    holder = await issueOnRegistryPage(h.context, registryPage);
    const issued = issuedTo(holder);
    expect(issued.map((c) => [c.kind, c.format])).toEqual([
      ['resident', 'jwt_vc_json'],
      ['pid', 'dc+sd-jwt'],
    ]);
    const [resident, pid] = issued as [(typeof issued)[0], (typeof issued)[0]];

    // The resident card: VCDM 1.1 JWT by the registry's did:key, about the holder.
    expect(decodeJwtHeader(resident.credential)).toMatchObject({ alg: 'EdDSA', kid: h.registry.issuer.kid });
    const vc = decodeJwtPayload(resident.credential);
    expect(vc).toMatchObject({ iss: h.registry.did, sub: holder });
    expect((vc.vc as { type: string[] }).type).toEqual(['VerifiableCredential', 'ResidentCredential']);
    expect((vc.vc as { credentialStatus: unknown }).credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(resident.statusIndex),
      statusListCredential: `${h.registryOrigin}/status/revocation`,
    });

    // The PID: SD-JWT VC bound to the holder's key by cnf.jwk.
    const [issuerJwt] = pid.credential.split('~') as [string];
    expect(decodeJwtHeader(issuerJwt)).toMatchObject({ alg: 'EdDSA', typ: 'dc+sd-jwt', kid: h.registry.issuer.kid });
    const sd = decodeJwtPayload(issuerJwt);
    expect(sd).toMatchObject({
      iss: h.registry.did,
      vct: PID_VCT,
      cnf: { jwk: jwkFromDidKey(holder) },
      status: { status_list: { idx: pid.statusIndex, uri: `${h.registryOrigin}/status/token` } },
    });
    expect(sd.given_name).toBeUndefined(); // selectively disclosable: only digests in the JWT
    expect((sd._sd as unknown[]).length).toBe(5);

    await expect.poll(() => registryPage.getByTestId('issued-claim-resident-given_name').textContent()).toBe('Mara');
    expect(await registryPage.getByTestId('status-pid').getAttribute('data-state')).toBe('valid');
  });

  test('an offer from an issuer the wallet does not know shows issuer, "Unknown issuer", status and claims; declining keeps nothing', async () => {
    const approval = await offerFromPage('resident');
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(hostOf(h.registryOrigin));
    expect(await approval.getByTestId('offer-issuer').textContent()).toContain(h.registry.did);
    expect(await approval.getByTestId('issuer-trust').textContent()).toContain('Unknown issuer');
    expect((await approval.getByTestId('credential-status').textContent())?.trim()).toBe('valid');
    expect(await approval.getByTestId('offer-claim-credentialSubject.given_name').textContent()).toContain('Mara');
    expect(await approval.getByTestId('offer-claim-credentialSubject.family_name').textContent()).toContain('Quillfeather');
    await approval.getByTestId('offer-claim-credentialSubject.age_over_18').waitFor();
    await approval.getByTestId('offer-claim-credentialSubject.address.locality').waitFor();
    await decide(approval, 'reject');
    expect((await offerResult('resident', ['declined', 'error'])).state).toBe('declined');

    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('credentials-empty').waitFor({ timeout: 10_000 });
    await dashboard.close();
  });

  test('once the registry is a trusted issuer, the offers say "Trusted"; approving keeps both', async () => {
    await trustIssuer(h, h.registry.did, 'Aldmere Civic Registry');

    const resident = await offerFromPage('resident');
    await expect.poll(() => resident.getByTestId('issuer-trust').textContent()).toContain('Trusted');
    expect(await resident.getByTestId('issuer-trust').textContent()).toContain('Aldmere Civic Registry');
    expect((await resident.getByTestId('credential-status').textContent())?.trim()).toBe('valid');
    await decide(resident, 'approve');
    const storedResident = await offerResult('resident', ['stored', 'error', 'declined']);
    expect(storedResident.state, storedResident.text).toBe('stored');
    residentId = /id ([A-Za-z0-9_-]+)/.exec(storedResident.text)?.[1] ?? '';

    const pid = await offerFromPage('pid');
    await expect.poll(() => pid.getByTestId('issuer-trust').textContent()).toContain('Trusted');
    expect((await pid.getByTestId('credential-status').textContent())?.trim()).toBe('valid');
    expect(await pid.getByTestId('offer-claim-given_name').textContent()).toContain('Mara');
    expect(await pid.getByTestId('offer-claim-family_name').textContent()).toContain('Quillfeather');
    await pid.getByTestId('offer-claim-age_over_18').waitFor();
    await pid.getByTestId('offer-claim-birthdate').waitFor();
    await decide(pid, 'approve');
    const storedPid = await offerResult('pid', ['stored', 'error', 'declined']);
    expect(storedPid.state, storedPid.text).toBe('stored');
    pidId = /id ([A-Za-z0-9_-]+)/.exec(storedPid.text)?.[1] ?? '';

    expect(residentId).not.toBe('');
    expect(pidId).not.toBe(residentId);
    const dashboard = await openDashboard(h);
    for (const id of [residentId, pidId]) {
      await dashboard.getByTestId(`credential-${id}`).waitFor({ timeout: 10_000 });
      expect((await dashboard.getByTestId(`credential-status-${id}`).textContent())?.trim()).toBe('valid');
    }
    await dashboard.close();
  });
});

describe('credentials made by independent code', () => {
  test('a JWT VC from did-jwt-vc and an SD-JWT VC from @sd-jwt/sd-jwt-vc, bound to the holder, are accepted', async () => {
    const issuer = newTestIssuer();
    const jwtVc = await makeJwtVc(issuer, { subject: holder });
    const sdJwtVc = await makeSdJwtVc(issuer, { holderDid: holder });
    for (const credential of [jwtVc, sdJwtVc]) {
      const approvalP = waitForApprovalPage(h.context);
      const outcomeP = requestInPage<{ id: string }>(registryPage, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
      const approval = await approvalP;
      await expect.poll(() => approval.getByTestId('offer-issuer').textContent()).toContain(issuer.did);
      expect(await approval.getByTestId('issuer-trust').textContent()).toContain('Unknown issuer');
      await approval.getByTestId('offer-claim-' + (credential === jwtVc ? 'credentialSubject.card_number' : 'tier')).waitFor();
      await decide(approval, 'approve');
      expect(expectOk(await outcomeP).id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    }
  });

  test('tampered, unbound, expired and malformed credentials are refused with -32602 and no window', async () => {
    const issuer = newTestIssuer();
    const stranger = newTestIssuer();
    const good = await makeJwtVc(issuer, { subject: holder });
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const forgedPayload = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { vc: { credentialSubject: Record<string, unknown> } };
    forgedPayload.vc.credentialSubject.given_name = 'Eve';
    const tamperedJwt = `${header}.${Buffer.from(JSON.stringify(forgedPayload)).toString('base64url')}.${signature}`;
    // Signed by another key while claiming the issuer's kid.
    const impostor = await makeJwtVc({ ...issuer, secretKey: stranger.secretKey }, { subject: holder });

    const goodSd = await makeSdJwtVc(issuer, { holderDid: holder });
    const [sdJwt = '', ...disclosures] = goodSd.split('~');
    const [sh, sp, ss] = sdJwt.split('.') as [string, string, string];
    const sdPayload = JSON.parse(Buffer.from(sp, 'base64url').toString('utf8')) as Record<string, unknown>;
    sdPayload.vct = 'https://issuer.example/credentials/forged';
    const tamperedSd = [`${sh}.${Buffer.from(JSON.stringify(sdPayload)).toString('base64url')}.${ss}`, ...disclosures].join('~');
    // A disclosure the issuer never signed (its digest is not in _sd).
    const forgedDisclosure = Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0', 'given_name', 'Eve'])).toString('base64url');
    const foreignDisclosureSd = [sdJwt, forgedDisclosure, ...disclosures.slice(1)].join('~');

    const cases: { name: string; credential: string }[] = [
      { name: 'JWT VC with a changed claim', credential: tamperedJwt },
      { name: 'JWT VC signed by another key', credential: impostor },
      { name: 'SD-JWT VC with a changed payload', credential: tamperedSd },
      { name: 'SD-JWT VC with a disclosure the issuer did not sign', credential: foreignDisclosureSd },
      { name: 'JWT VC about a DID the wallet does not hold', credential: await makeJwtVc(issuer, { subject: stranger.did }) },
      { name: 'SD-JWT VC bound to a key the wallet does not hold', credential: await makeSdJwtVc(issuer, { holderDid: stranger.did }) },
      { name: 'expired JWT VC', credential: await makeJwtVc(issuer, { subject: holder, expiresInSeconds: -3600 }) },
      { name: 'not a credential', credential: 'hello.world' },
    ];
    await expectNoApprovalWindow(h.context, async () => {
      for (const c of cases) {
        const outcome = await requestInPage(registryPage, { method: 'wallet_offerCredential', params: { credential: c.credential } }, { timeoutMs: 20_000 });
        try {
          expectError(outcome, -32602, 'credential');
        } catch (error) {
          throw new Error(`${c.name}: ${(error as Error).message}`);
        }
      }
    });
  });

  test('a credential its issuer has already revoked is refused with -32602 and no window', async () => {
    const resident = await h.registry.issuer.issueResident(holder);
    const pid = await h.registry.issuer.issuePid(holder);
    h.registry.revoke('resident', resident.statusIndex);
    h.registry.revoke('pid', pid.statusIndex);
    await expectNoApprovalWindow(h.context, async () => {
      for (const credential of [resident.credential, pid.credential]) {
        const outcome = await requestInPage(registryPage, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 20_000 });
        // Every refusal of a site's offer is the same answer (DESIGN §3.2): nothing to probe.
        expectError(outcome, -32602, 'invalid credential');
      }
    });
  });
});

describe('revocation by the registry', () => {
  let cityPage: Page;
  beforeAll(async () => {
    cityPage = await openPage(h.context, h.city.url());
  });
  afterAll(async () => {
    await closeStrayApprovals(h.context);
  });

  test('the registry revokes the PID: the city asking right away gets NotAllowedError, and the dashboard shows it revoked', async () => {
    await registryPage.getByTestId('revoke-pid').click();
    await expect.poll(() => registryPage.getByTestId('status-pid').getAttribute('data-state')).toBe('revoked');
    const pid = issuedTo(holder).find((c) => c.kind === 'pid');
    expect(pid && h.registry.issuer.isRevoked('token', pid.statusIndex)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_200)); // the list's ttl (1 s): a cached copy may be used until then

    // Through the city's page, with nothing done in the wallet in between. Showing the
    // request fetches nothing (DESIGN §5), so the window may still list the PID as it
    // was last checked; approving checks its status first, and the revoked PID never
    // leaves: the window says so, the user declines, the site sees a cancelled flow.
    await cityPage.getByTestId('credential-pid').check();
    await cityPage.getByTestId('signed-request').uncheck();
    const watch = firstApproval(h.context);
    await cityPage.getByTestId('dc-request-button').click();
    const settled = cityPage.locator('[data-testid="dc-status"]:not([data-state="pending"])');
    let done = false;
    void settled.waitFor({ timeout: 30_000 }).then(
      () => (done = true),
      () => (done = true),
    );
    const window = await watch.next(() => done);
    if (window) {
      await window.getByTestId('reject').waitFor({ state: 'visible', timeout: 15_000 });
      if ((await window.locator('[data-testid^="candidate-"]').count()) > 0) {
        await window.getByTestId('approve').click();
        await expect.poll(() => window.getByTestId('approval-error').textContent(), { timeout: 15_000 }).toMatch(/revoked/i);
      }
      await dismissNoMatchWindow(window).catch(async () => {
        if (!window.isClosed()) await window.getByTestId('reject').click().catch(() => undefined);
      });
    }
    await expect.poll(() => cityPage.getByTestId('dc-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('cancelled');
    expect(await cityPage.getByTestId('verify-error').textContent()).toMatch(/cancelled|no matching/i);

    // The dashboard's "Check now" finds it revoked (a status the wallet then keeps).
    const detail = await openCredential(h, pidId);
    await detail.getByTestId(`refresh-status-${pidId}`).click();
    await expect.poll(() => detail.getByTestId(`credential-status-${pidId}`).first().textContent(), { timeout: 15_000 }).toMatch(/revoked/);
    await detail.close();

    // And directly: the revoked PID is never offered.
    const request = await h.city.createRequest(h.cityOrigin, { credential: 'pid' });
    await expectNoMatch(h.context, cityPage, digital(UNSIGNED, request.data));
  });

  test('the registry revokes the resident card (Bitstring Status List): revoked in the dashboard, no match for the city', async () => {
    await registryPage.getByTestId('revoke-resident').click();
    await expect.poll(() => registryPage.getByTestId('status-resident').getAttribute('data-state')).toBe('revoked');
    await new Promise((r) => setTimeout(r, 1_200));
    const detail = await openCredential(h, residentId);
    await detail.getByTestId(`refresh-status-${residentId}`).click();
    await expect.poll(() => detail.getByTestId(`credential-status-${residentId}`).first().textContent(), { timeout: 15_000 }).toMatch(/revoked/);
    await detail.close();
    const request = await h.city.createRequest(h.cityOrigin, { credential: 'resident' });
    await expectNoMatch(h.context, cityPage, digital(UNSIGNED, request.data));
  });

  test('the dashboard lists the revoked credentials as revoked', async () => {
    const dashboard = await openDashboard(h);
    for (const id of [pidId, residentId]) {
      await dashboard.getByTestId(`credential-${id}`).waitFor({ timeout: 10_000 });
      expect((await dashboard.getByTestId(`credential-status-${id}`).textContent())?.trim()).toBe('revoked');
    }
    await dashboard.close();
  });
});
