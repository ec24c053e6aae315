/**
 * Reliability: 100 service-worker stops (CDP, as Chrome stops idle MV3 workers) at
 * random points of bursts of writes — trusted-issuer adds and credential imports from
 * the dashboard, silent logins (grant access records) from three sites, and grant
 * revocations by the holder and by sites. Afterwards every list answers, every write
 * acknowledged before a stop is there, nothing is there that was never attempted, and
 * every page request settled (resolved or rejected; none hangs).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveIn, evaluateWith, openExtensionPage, requestIdentity, startCalls, waitCalls, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { createTestIssuer, issueJwtVc } from '../support/issuers.ts';
import { expectOk, openSite, originOf, sleep, startHarness, type Harness } from './support.ts';

const STOPS = Number(process.env.RELIABILITY_STOPS ?? 100);
const SETTLE_MS = 30_000;
const ISSUERS_PER_ROUND = 3;
const IMPORTS_PER_ROUND = 2;
/** The stop lands at a random point of the first this-many ms of a round's burst. */
const MAX_STOP_DELAY_MS = 120;

let h: Harness;
let ui: Page;

beforeAll(async () => {
  h = await startHarness({ serverCount: 2, onboarded: true });
  ui = await openExtensionPage(h.context, h.extensionId, 'popup/index.html');
}, 180_000);

afterAll(async () => {
  await h?.close();
});

type UiOutcome = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } | { broken: string } | { hung: true };

/** One UI command from an extension page; a channel broken by the stop is `broken`, no answer in time is `hung`. */
async function sendUi(body: Record<string, unknown>): Promise<UiOutcome> {
  return await evaluateWith<UiOutcome, { body: Record<string, unknown>; timeoutMs: number }>(
    ui,
    async ({ body, timeoutMs }) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime;
      const timeout = new Promise((resolve) => setTimeout(() => resolve({ hung: true }), timeoutMs));
      const send = runtime.sendMessage({ channel: 'ui', body }).then(
        // A worker stopped mid-command can leave the call resolved with nothing.
        (reply: unknown) => (typeof reply === 'object' && reply !== null ? reply : { broken: `no reply (${String(reply)})` }),
        (error: unknown) => ({ broken: String(error) }),
      );
      return (await Promise.race([send, timeout])) as UiOutcome;
    },
    { body, timeoutMs: SETTLE_MS },
  );
}

async function uiValue<T>(body: Record<string, unknown>): Promise<T> {
  const reply = await sendUi(body);
  if (!('ok' in reply) || !reply.ok) throw new Error(`${String(body.command)}: ${JSON.stringify(reply)}`);
  return reply.value as T;
}

/**
 * Stops the extension's worker at once (`ServiceWorker.stopWorker` on a CDP session kept
 * open for the whole run, so the stop lands where the test chose) and waits until CDP
 * reports it stopped.
 */
async function workerStopper(page: Page, extensionId: string): Promise<() => Promise<void>> {
  const cdp = await h.context.newCDPSession(page);
  type Version = { versionId: string; scriptURL: string; runningStatus: string };
  const versions = new Map<string, Version>();
  cdp.on('ServiceWorker.workerVersionUpdated', (event: { versions: Version[] }) => {
    for (const v of event.versions) versions.set(v.versionId, v);
  });
  await cdp.send('ServiceWorker.enable');
  const ours = () => [...versions.values()].filter((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));
  return async () => {
    const running = ours().filter((v) => v.runningStatus !== 'stopped');
    await Promise.all(running.map((v) => cdp.send('ServiceWorker.stopWorker', { versionId: v.versionId })));
    const deadline = Date.now() + 10_000;
    while (ours().some((v) => v.runningStatus !== 'stopped') && Date.now() < deadline) await sleep(20);
  };
}

/** Connects a site (approves its first login) and returns its page and pairwise DID. */
async function connect(url: string): Promise<{ page: Page; origin: string; did: string }> {
  const page = await openSite(h.context, url);
  const approvalP = waitForApprovalPage(h.context);
  const outcomeP = requestIdentity(page, undefined, { timeoutMs: 60_000 });
  await approveIn(await approvalP);
  return { page, origin: originOf(url), did: expectOk(await outcomeP).did };
}

describe('worker stops in the middle of writes', () => {
  test(`${STOPS} stops during bursts of writes: nothing acknowledged is lost, nothing is corrupt, nothing hangs`, async () => {
    const [a, b] = h.servers;
    if (!a || !b) throw new Error('two servers expected');
    const loginSites = await Promise.all([a.url('127.0.0.1', '/plain'), a.url('localhost', '/plain'), a.url('127.0.0.2', '/plain')].map((u) => connect(u)));
    const revokeSites = [];
    for (const url of [b.url('127.0.0.1', '/plain'), b.url('localhost', '/plain'), b.url('127.0.0.2', '/plain')]) revokeSites.push(await connect(url));
    const grants = await uiValue<{ id: string; origin: string }[]>({ command: 'listGrants' });
    const grantOf = (origin: string) => grants.find((g) => g.origin === origin)?.id ?? '';
    const holderDid = loginSites[0]?.did ?? '';

    const issuer = await createTestIssuer();
    const attemptedIssuers = new Set<string>();
    const acknowledgedIssuers = new Set<string>();
    const attemptedSerials = new Set<number>();
    const acknowledgedSerials = new Set<number>();
    const acknowledgedRevocations = new Set<string>();
    let hangs = 0;
    let broken = 0;
    let loginsOk = 0;
    let loginsFailed = 0;
    const loginRefusals = new Map<string, number>();
    const revocationRounds = [Math.floor(STOPS / 6), Math.floor(STOPS / 2), Math.floor((STOPS * 5) / 6)];
    const revokeGrant = async (site: { page: Page }, grantId: string, by: 'holder' | 'site') => {
      if (by === 'holder') {
        const reply = await sendUi({ command: 'revokeGrant', grantId });
        if ('hung' in reply) hangs++;
        else if ('ok' in reply && reply.ok) acknowledgedRevocations.add(grantId);
        return;
      }
      const [outcome] = await waitCalls(await startCalls(site.page, [{ method: 'wallet_revokeGrant', params: { grantId } }], { timeoutMs: SETTLE_MS }));
      if (outcome?.timedOut) hangs++;
      else if (outcome?.ok) acknowledgedRevocations.add(grantId);
    };
    const stopWorker = await workerStopper(loginSites[0]?.page ?? ui, h.extensionId);
    let inFlightAtStop = 0;
    const started = performance.now();

    for (let round = 0; round < STOPS; round++) {
      const trusted = await Promise.all(Array.from({ length: ISSUERS_PER_ROUND }, () => createTestIssuer()));
      const serials = Array.from({ length: IMPORTS_PER_ROUND }, (_, i) => round * IMPORTS_PER_ROUND + i);
      const credentials = await Promise.all(serials.map((serial) => issueJwtVc(issuer, { subjectDid: holderDid, claims: { serial }, types: ['KillTestCredential'] })));
      const writes: Promise<unknown>[] = [
        ...trusted.map(async ({ did }, i) => {
          attemptedIssuers.add(did);
          const r = await sendUi({ command: 'addTrustedIssuer', did, label: `Issuer ${round}.${i}` });
          if ('hung' in r) hangs++;
          else if ('broken' in r) broken++;
          else if (r.ok) acknowledgedIssuers.add(did);
        }),
        ...credentials.map(async (credential, i) => {
          const serial = serials[i] ?? -1;
          attemptedSerials.add(serial);
          const r = await sendUi({ command: 'importCredential', credential });
          if ('hung' in r) hangs++;
          else if ('broken' in r) broken++;
          else if (r.ok) acknowledgedSerials.add(serial);
        }),
        ...loginSites.map(async (site) => {
          const [outcome] = await waitCalls(await startCalls(site.page, [{ method: 'wallet_requestIdentity', params: { nonce: `kill-${round}-${Date.now()}` } }], { timeoutMs: SETTLE_MS }));
          if (outcome?.timedOut) hangs++;
          else if (outcome?.ok) loginsOk++;
          else {
            loginsFailed++;
            const key = `${outcome?.error.code ?? 'none'} ${outcome?.error.message ?? ''}`;
            loginRefusals.set(key, (loginRefusals.get(key) ?? 0) + 1);
          }
        }),
      ];
      // Three revocations spread over the run: by the holder, then by two sites themselves.
      const revocation = revocationRounds.indexOf(round);
      const revoke = revokeSites[revocation];
      if (revoke) writes.push(revokeGrant(revoke, grantOf(revoke.origin), revocation === 0 ? 'holder' : 'site'));
      let settled = 0;
      for (const w of writes) void w.then(() => settled++, () => settled++);
      await sleep(Math.floor(Math.random() * MAX_STOP_DELAY_MS));
      inFlightAtStop += writes.length - settled;
      await stopWorker();
      await Promise.all(writes);
    }
    const burstSeconds = Math.round((performance.now() - started) / 1000);

    // Every list answers; what was acknowledged is there; nothing unattempted appeared.
    const issuers = await uiValue<{ did: string }[]>({ command: 'listTrustedIssuers' });
    const issuerDids = issuers.map((i) => i.did);
    const stored = await uiValue<{ id: string; types: string[]; claims: { path: (string | number)[]; value: unknown }[] }[]>({ command: 'listCredentials' });
    const storedSerials = stored.filter((c) => c.types.includes('KillTestCredential')).map((c) => Number(c.claims.find((claim) => claim.path[claim.path.length - 1] === 'serial')?.value));
    for (const c of stored) await uiValue({ command: 'getCredential', credentialId: c.id });
    const finalGrants = await uiValue<{ id: string; status: string }[]>({ command: 'listGrants' });
    // The activity log took every change that landed in the same transaction: its chain and root still verify.
    const integrity = await uiValue<{ ok: boolean; size: number; reason?: string }>({ command: 'verifyLedger' });

    console.log(
      `reliability kills: ${STOPS} stops in ${burstSeconds}s; issuers ${acknowledgedIssuers.size} acknowledged / ${issuerDids.length} stored / ${attemptedIssuers.size} attempted; ` +
        `credentials ${acknowledgedSerials.size} acknowledged / ${storedSerials.length} stored / ${attemptedSerials.size} attempted; ` +
        `logins ${loginsOk} ok, ${loginsFailed} refused ${JSON.stringify([...loginRefusals])}; ${broken} UI channels broken by a stop; revocations acknowledged ${acknowledgedRevocations.size}; ${inFlightAtStop} writes in flight at the stops; ${hangs} hangs`,
    );
    expect(hangs, 'requests that never settled').toBe(0);
    expect(integrity, 'the activity ledger after the stops').toMatchObject({ ok: true });
    expect(integrity.size, 'ledger entries').toBeGreaterThan(0);
    expect([...acknowledgedIssuers].filter((d) => !issuerDids.includes(d)), 'acknowledged issuers lost').toEqual([]);
    expect(issuerDids.filter((d) => !attemptedIssuers.has(d)), 'issuers never added').toEqual([]);
    expect(new Set(issuerDids).size, 'duplicate issuers').toBe(issuerDids.length);
    expect([...acknowledgedSerials].filter((s) => !storedSerials.includes(s)), 'acknowledged imports lost').toEqual([]);
    expect(storedSerials.filter((s) => !attemptedSerials.has(s)), 'credentials never imported').toEqual([]);
    expect(new Set(storedSerials).size, 'duplicate credentials').toBe(storedSerials.length);
    for (const grantId of acknowledgedRevocations) expect(finalGrants.find((g) => g.id === grantId)?.status, `grant ${grantId}`).toBe('revoked');
    for (const site of loginSites) expect(finalGrants.find((g) => g.id === grantOf(site.origin))?.status).toBe('active');
    expect(acknowledgedIssuers.size + acknowledgedSerials.size, 'some writes must get through').toBeGreaterThan(0);
  }, 600_000);
});
