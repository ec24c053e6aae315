import { Resolver } from 'did-resolver';
import { verifyPresentation } from 'did-jwt-vc';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdentityResult } from '../../protocol/rpc.ts';
import { rejection } from '../../../test/support/rejection.ts';
import { makeTestPorts, type TestPorts } from '../../../test/support/test-ports.ts';
import { Wallet } from './wallet.ts';

const PASSWORD = 'correct horse battery';
const SITE = 'http://127.0.0.1:8080';
const OTHER_SITE = 'http://localhost:8080';
// A resolver not written by Veramo, as a relying party would use.
const resolver = new Resolver(getKeyDidResolver());

let ports: TestPorts;
let wallet: Wallet;
let requestCounter = 0;
const newRequestId = () => `req-${String(++requestCounter).padStart(16, '0')}`;


/** Starts an identity request and returns it with the approval it opened. */
async function requestWithApproval(origin: string, nonce: string, w = wallet) {
  const shown = ports.presenter.nextApproval();
  const result = w.identity.request(origin, newRequestId(), { nonce });
  return { result, approvalId: await shown };
}

beforeEach(async () => {
  ports = makeTestPorts();
  wallet = new Wallet(ports);
  await wallet.locking.create(PASSWORD);
});

describe('identity login', () => {
  it('asks on first contact; the VP is by a pairwise did:key, bound to origin and nonce, and verifies independently', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    const lookup = await wallet.desk.lookup(approvalId);
    expect(lookup).toMatchObject({ state: 'pending', approval: { origin: SITE, kind: 'identity', pairwiseDid: null } });
    await wallet.desk.resolve(approvalId, 'approve');
    const { did, presentation } = (await result) as IdentityResult;
    expect(did).toMatch(/^did:key:z6Mk/);
    const verified = await verifyPresentation(presentation, resolver, { challenge: 'nonce-0001', domain: `origin:${SITE}` });
    expect(verified.verified).toBe(true);
    expect(verified.payload.aud).toBe(`origin:${SITE}`);
    expect(verified.payload.iss).toBe(did);
    await expect(verifyPresentation(presentation, resolver, { challenge: 'nonce-9999', domain: `origin:${SITE}` })).rejects.toThrow(/nonce/i);
    await expect(verifyPresentation(presentation, resolver, { challenge: 'nonce-0001', domain: `origin:${OTHER_SITE}` })).rejects.toThrow(/domain|aud/i);
  });

  it('answers silently while the grant is active, with the same DID and a fresh nonce', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(first.approvalId, 'approve');
    const { did } = await first.result;
    const opened = ports.presenter.opened.length;
    const again = await wallet.identity.request(SITE, newRequestId(), { nonce: 'nonce-0002' });
    expect(ports.presenter.opened.length).toBe(opened);
    expect(again.did).toBe(did);
    expect((await verifyPresentation(again.presentation, resolver, { challenge: 'nonce-0002', domain: `origin:${SITE}` })).verified).toBe(true);
    const [grant] = await wallet.grants.listForHolder();
    expect(grant?.events.map((e) => e.type)).toEqual(['requested', 'given', 'accessed']);
  });

  it('gives each origin its own DID', async () => {
    const a = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(a.approvalId, 'approve');
    const b = await requestWithApproval(OTHER_SITE, 'nonce-0001');
    await wallet.desk.resolve(b.approvalId, 'approve');
    expect((await a.result).did).not.toBe((await b.result).did);
  });

  it('rejects with 4001 when the user declines, and records no grant', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(approvalId, 'reject');
    expect(await rejection(result)).toEqual({ code: 'user_rejected', message: 'User rejected the request.' });
    expect(await wallet.grants.listForHolder()).toEqual([]);
    await expect(wallet.desk.resolve(approvalId, 'approve')).rejects.toThrow(/no longer pending/);
  });

  it('allows one pending request per origin and kind: the rest get -32002 at once', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    const others = await Promise.all(
      Array.from({ length: 19 }, (_, i) => rejection(wallet.identity.request(SITE, newRequestId(), { nonce: `nonce-1${i}xxxx` }))),
    );
    expect(others.every((e) => e.code === 'pending')).toBe(true);
    expect(ports.presenter.opened).toHaveLength(1);
    // Another origin is not refused: its approval waits its turn (one window at a time) and is shown next.
    const other = requestWithApproval(OTHER_SITE, 'nonce-0001');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ports.presenter.opened).toHaveLength(1);
    await wallet.desk.resolve(first.approvalId, 'approve');
    await expect(first.result).resolves.toHaveProperty('did');
    const shownNext = await other;
    expect(ports.presenter.opened).toHaveLength(2);
    await wallet.desk.resolve(shownNext.approvalId, 'approve');
    await expect(shownNext.result).resolves.toHaveProperty('did');
  });

  it('treats a closed window as a rejection (4001), or 4900 while locked', async () => {
    const { result } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.windowClosed(1);
    expect((await rejection(result)).code).toBe('user_rejected');
    await wallet.locking.lock();
    const locked = await requestWithApproval(SITE, 'nonce-0002');
    expect(await wallet.desk.lookup(locked.approvalId)).toEqual({ state: 'locked', origin: SITE, kind: 'identity' });
    await wallet.desk.windowClosed(2);
    expect((await rejection(locked.result)).code).toBe('locked');
  });

  it('asks for unlock first, then approves', async () => {
    await wallet.locking.lock();
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await expect(wallet.desk.resolve(approvalId, 'approve')).rejects.toThrow(/locked/);
    await wallet.locking.unlock(PASSWORD);
    expect(await wallet.desk.lookup(approvalId)).toMatchObject({ state: 'pending' });
    await wallet.desk.resolve(approvalId, 'approve');
    await expect(result).resolves.toHaveProperty('presentation');
  });

  it('answers a connected site after unlock without asking again', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(first.approvalId, 'approve');
    await wallet.locking.lock();
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0002');
    await wallet.locking.unlock(PASSWORD);
    expect(await wallet.desk.lookup(approvalId)).toEqual({ state: 'settled' });
    expect((await result).did).toBe((await first.result).did);
  });

  it('keeps a pending approval across a service-worker restart', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    const lost = wallet.identity.request(SITE, requestId, { nonce: 'nonce-0001' });
    lost.catch(() => undefined);
    const approvalId = await shown;
    // A new worker: same storage and session storage, no memory of the old one.
    const restarted = new Wallet(ports);
    const reattached = restarted.desk.awaitReply(SITE, requestId);
    await restarted.desk.resolve(approvalId, 'approve');
    await expect(reattached).resolves.toHaveProperty('did');
  });

  it('keeps the answer for a page that re-attaches only after the decision', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    wallet.identity.request(SITE, requestId, { nonce: 'nonce-0001' }).catch(() => undefined);
    const approvalId = await shown;
    const restarted = new Wallet(ports);
    await restarted.desk.resolve(approvalId, 'approve');
    await expect(restarted.desk.awaitReply(SITE, requestId)).resolves.toHaveProperty('did');
    // Delivered once; and never to another origin.
    expect((await rejection(restarted.desk.awaitReply(SITE, requestId))).message).toMatch(/Unknown or expired/);
  });

  it('does not hand a reply to another origin', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    wallet.identity.request(SITE, requestId, { nonce: 'nonce-0001' }).catch(() => undefined);
    await shown;
    expect((await rejection(wallet.desk.awaitReply(OTHER_SITE, requestId))).message).toMatch(/Unknown or expired/);
  });
});

describe('grants', () => {
  async function connect(origin: string) {
    const { result, approvalId } = await requestWithApproval(origin, 'nonce-0001');
    await wallet.desk.resolve(approvalId, 'approve');
    await result;
    const grants = await wallet.grants.listForSite(origin);
    return grants[0]!;
  }

  it('disconnecting (holder revokes) makes the next request prompt and tells the site', async () => {
    const grant = await connect(SITE);
    const view = await wallet.grants.revokeAsHolder(grant.id);
    expect(view.status).toBe('revoked');
    expect(view.events.at(-1)).toMatchObject({ type: 'withdrawn', actor: 'holder' });
    expect(ports.events.sent).toContainEqual({ origin: SITE, event: 'grantRevoked', data: { grantId: grant.id } });
    const opened = ports.presenter.opened.length;
    const again = await requestWithApproval(SITE, 'nonce-0003');
    expect(ports.presenter.opened.length).toBe(opened + 1);
    await wallet.desk.resolve(again.approvalId, 'approve');
    // The same pairwise DID comes back: it belongs to the site, the grant was what ended.
    expect((await again.result).did).toBe(grant.did);
  });

  it('shows a site only its own grants, and refuses to revoke another site\'s grant (4100, as if unknown)', async () => {
    const mine = await connect(SITE);
    await connect(OTHER_SITE);
    expect((await wallet.grants.listForSite(SITE)).map((g) => g.id)).toEqual([mine.id]);
    expect(await rejection(wallet.grants.revokeAsSite(OTHER_SITE, mine.id))).toEqual({ code: 'unauthorized', message: 'Unknown grant.' });
    expect(await rejection(wallet.grants.revokeAsSite(OTHER_SITE, 'unknown-grant-id'))).toEqual({ code: 'unauthorized', message: 'Unknown grant.' });
    expect((await wallet.grants.listForSite(SITE))[0]?.status).toBe('active');
    await expect(wallet.grants.revokeAsSite(SITE, mine.id)).resolves.toEqual({ revoked: true });
    expect((await wallet.grants.listForSite(SITE))[0]?.status).toBe('revoked');
  });

  it('keeps a revocation that races silent logins: the grant stays revoked and the next login prompts', async () => {
    const grant = await connect(SITE);
    // Slow the store so logins and the revocation interleave at every await.
    const write = ports.store.write.bind(ports.store);
    ports.store.write = async (ops) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      return write(ops);
    };
    const logins = Array.from({ length: 12 }, (_, i) =>
      wallet.identity.request(SITE, newRequestId(), { nonce: `nonce-race-${i}` }).then(
        () => 'silent',
        () => 'refused',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    await wallet.grants.revokeAsHolder(grant.id);
    // Logins that lost the race to the revocation fall back to asking the user: decline those.
    let done = false;
    const settled = Promise.all(logins).finally(() => (done = true));
    while (!done) {
      for (const id of ports.presenter.opened) if (await wallet.desk.queue.get(id)) await wallet.desk.resolve(id, 'reject');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await settled;
    const [after] = await wallet.grants.listForSite(SITE);
    expect(after?.status).toBe('revoked');
    const opened = ports.presenter.opened.length;
    await requestWithApproval(SITE, 'nonce-after-revoke');
    expect(ports.presenter.opened.length).toBe(opened + 1);
  });

  it('tells the site of a revocation once: revoking an ended grant sends nothing again', async () => {
    const grant = await connect(SITE);
    await wallet.grants.revokeAsHolder(grant.id);
    await wallet.grants.revokeAsHolder(grant.id);
    await wallet.grants.revokeAsSite(SITE, grant.id);
    expect(ports.events.sent.filter((e) => e.event === 'grantRevoked')).toEqual([{ origin: SITE, event: 'grantRevoked', data: { grantId: grant.id } }]);
  });

  it('expires identity grants after their term', async () => {
    await connect(SITE);
    ports.clock.now += 91 * 86_400_000;
    expect((await wallet.grants.listForSite(SITE))[0]?.status).toBe('expired');
    const again = await requestWithApproval(SITE, 'nonce-0009');
    await wallet.desk.resolve(again.approvalId, 'approve');
    await expect(again.result).resolves.toHaveProperty('did');
  });

  it('answers 4900 to grant calls while locked', async () => {
    await wallet.locking.lock();
    expect((await rejection(wallet.grants.listForSite(SITE))).code).toBe('locked');
  });
});

describe('lock state', () => {
  const autoLockTimer = () => ports.scheduler.timers.get('auto-lock') ?? null;

  it('starts the auto-lock countdown on unlock and user actions, and stops it on lock', async () => {
    expect(autoLockTimer()).toBe(15);
    await wallet.locking.setAutoLock(5);
    expect(autoLockTimer()).toBe(5);
    await wallet.locking.lock();
    expect(autoLockTimer()).toBeNull();
    await wallet.locking.unlock(PASSWORD);
    expect(autoLockTimer()).toBe(5);
    expect((await wallet.locking.state()).unlocked).toBe(true);
  });

  it("is not kept awake by a site: silent logins do not restart the countdown", async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(first.approvalId, 'approve');
    await first.result;
    ports.scheduler.timers.delete('auto-lock');
    for (let i = 0; i < 5; i++) await wallet.identity.request(SITE, newRequestId(), { nonce: `nonce-silent-${i}` });
    await wallet.grants.listForSite(SITE);
    expect(autoLockTimer()).toBeNull();
  });

  it('tells lock changes only to origins with an active grant', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(first.approvalId, 'approve');
    await first.result;
    const other = await requestWithApproval(OTHER_SITE, 'nonce-0002');
    await wallet.desk.resolve(other.approvalId, 'approve');
    await other.result;
    await wallet.grants.revokeAsSite(OTHER_SITE, (await wallet.grants.listForSite(OTHER_SITE))[0]!.id);
    ports.events.sent.length = 0;
    await wallet.locking.lock();
    await wallet.locking.unlock(PASSWORD);
    expect(ports.events.sent).toEqual([
      { origin: SITE, event: 'locked', data: {} },
      { origin: SITE, event: 'unlocked', data: {} },
    ]);
  });

  it('runs the auto-lock job from the scheduler', async () => {
    await wallet.runJob('auto-lock');
    expect((await wallet.locking.state()).unlocked).toBe(false);
  });

  it('keeps nothing personal or secret in storage in the clear', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.desk.resolve(approvalId, 'approve');
    const { did } = await result;
    const dump = JSON.stringify(ports.store.dump(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    for (const needle of [did, did.slice('did:key:'.length), SITE, '127.0.0.1', 'privateKeyHex', 'Ed25519', 'IdentityVerification']) {
      expect(dump).not.toContain(needle);
    }
    expect(await ports.session.get('approvals:index')).toEqual([]);
    expect(Object.keys(ports.session.dump()).filter((k) => k.startsWith('approval:'))).toEqual([]);
  });
});
