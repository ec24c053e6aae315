import { Resolver } from 'did-resolver';
import { verifyPresentation } from 'did-jwt-vc';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdentityResult } from '../../protocol/rpc.ts';
import { rejection } from '../testing/rejection.ts';
import { makeTestPorts, type TestPorts } from '../testing/test-ports.ts';
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
  const result = w.requestIdentity(origin, newRequestId(), { nonce });
  return { result, approvalId: await shown };
}

beforeEach(async () => {
  ports = makeTestPorts();
  wallet = new Wallet(ports);
  await wallet.create(PASSWORD);
});

describe('identity login', () => {
  it('asks on first contact; the VP is by a pairwise did:key, bound to origin and nonce, and verifies independently', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    const lookup = await wallet.getApproval(approvalId);
    expect(lookup).toMatchObject({ state: 'pending', approval: { origin: SITE, kind: 'identity', pairwiseDid: null } });
    await wallet.resolveApproval(approvalId, 'approve');
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
    await wallet.resolveApproval(first.approvalId, 'approve');
    const { did } = await first.result;
    const opened = ports.presenter.opened.length;
    const again = await wallet.requestIdentity(SITE, newRequestId(), { nonce: 'nonce-0002' });
    expect(ports.presenter.opened.length).toBe(opened);
    expect(again.did).toBe(did);
    expect((await verifyPresentation(again.presentation, resolver, { challenge: 'nonce-0002', domain: `origin:${SITE}` })).verified).toBe(true);
    const [grant] = await wallet.listGrants();
    expect(grant?.events.map((e) => e.type)).toEqual(['requested', 'given', 'accessed']);
  });

  it('gives each origin its own DID', async () => {
    const a = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.resolveApproval(a.approvalId, 'approve');
    const b = await requestWithApproval(OTHER_SITE, 'nonce-0001');
    await wallet.resolveApproval(b.approvalId, 'approve');
    expect((await a.result).did).not.toBe((await b.result).did);
  });

  it('rejects with 4001 when the user declines, and records no grant', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.resolveApproval(approvalId, 'reject');
    expect(await rejection(result)).toEqual({ code: 4001, message: 'User rejected the request.' });
    expect(await wallet.listGrants()).toEqual([]);
    await expect(wallet.resolveApproval(approvalId, 'approve')).rejects.toThrow(/no longer pending/);
  });

  it('allows one pending request per origin and kind: the rest get -32002 at once', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    const others = await Promise.all(
      Array.from({ length: 19 }, (_, i) => rejection(wallet.requestIdentity(SITE, newRequestId(), { nonce: `nonce-1${i}xxxx` }))),
    );
    expect(others.every((e) => e.code === -32002)).toBe(true);
    expect(ports.presenter.opened).toHaveLength(1);
    // Another origin is not blocked by it.
    const other = await requestWithApproval(OTHER_SITE, 'nonce-0001');
    await wallet.resolveApproval(first.approvalId, 'approve');
    await wallet.resolveApproval(other.approvalId, 'approve');
    await expect(first.result).resolves.toHaveProperty('did');
  });

  it('treats a closed window as a rejection (4001), or 4900 while locked', async () => {
    const { result } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.windowClosed(1);
    expect((await rejection(result)).code).toBe(4001);
    await wallet.lock();
    const locked = await requestWithApproval(SITE, 'nonce-0002');
    expect(await wallet.getApproval(locked.approvalId)).toEqual({ state: 'locked', origin: SITE, kind: 'identity' });
    await wallet.windowClosed(2);
    expect((await rejection(locked.result)).code).toBe(4900);
  });

  it('asks for unlock first, then approves', async () => {
    await wallet.lock();
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await expect(wallet.resolveApproval(approvalId, 'approve')).rejects.toThrow(/locked/);
    await wallet.unlock(PASSWORD);
    expect(await wallet.getApproval(approvalId)).toMatchObject({ state: 'pending' });
    await wallet.resolveApproval(approvalId, 'approve');
    await expect(result).resolves.toHaveProperty('presentation');
  });

  it('answers a connected site after unlock without asking again', async () => {
    const first = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.resolveApproval(first.approvalId, 'approve');
    await wallet.lock();
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0002');
    await wallet.unlock(PASSWORD);
    expect(await wallet.getApproval(approvalId)).toEqual({ state: 'settled' });
    expect((await result).did).toBe((await first.result).did);
  });

  it('keeps a pending approval across a service-worker restart', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    const lost = wallet.requestIdentity(SITE, requestId, { nonce: 'nonce-0001' });
    lost.catch(() => undefined);
    const approvalId = await shown;
    // A new worker: same storage and session storage, no memory of the old one.
    const restarted = new Wallet(ports);
    const reattached = restarted.awaitReply(SITE, requestId);
    await restarted.resolveApproval(approvalId, 'approve');
    await expect(reattached).resolves.toHaveProperty('did');
  });

  it('keeps the answer for a page that re-attaches only after the decision', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    wallet.requestIdentity(SITE, requestId, { nonce: 'nonce-0001' }).catch(() => undefined);
    const approvalId = await shown;
    const restarted = new Wallet(ports);
    await restarted.resolveApproval(approvalId, 'approve');
    await expect(restarted.awaitReply(SITE, requestId)).resolves.toHaveProperty('did');
    // Delivered once; and never to another origin.
    expect((await rejection(restarted.awaitReply(SITE, requestId))).message).toMatch(/Unknown or expired/);
  });

  it('does not hand a reply to another origin', async () => {
    const requestId = newRequestId();
    const shown = ports.presenter.nextApproval();
    wallet.requestIdentity(SITE, requestId, { nonce: 'nonce-0001' }).catch(() => undefined);
    await shown;
    expect((await rejection(wallet.awaitReply(OTHER_SITE, requestId))).message).toMatch(/Unknown or expired/);
  });
});

describe('grants', () => {
  async function connect(origin: string) {
    const { result, approvalId } = await requestWithApproval(origin, 'nonce-0001');
    await wallet.resolveApproval(approvalId, 'approve');
    await result;
    const grants = await wallet.siteGrants(origin);
    return grants[0]!;
  }

  it('disconnecting (holder revokes) makes the next request prompt and tells the site', async () => {
    const grant = await connect(SITE);
    const view = await wallet.revokeGrantAsHolder(grant.id);
    expect(view.status).toBe('revoked');
    expect(view.events.at(-1)).toMatchObject({ type: 'withdrawn', actor: 'holder' });
    expect(ports.events.sent).toContainEqual({ origin: SITE, event: 'grantRevoked', data: { grantId: grant.id } });
    const opened = ports.presenter.opened.length;
    const again = await requestWithApproval(SITE, 'nonce-0003');
    expect(ports.presenter.opened.length).toBe(opened + 1);
    await wallet.resolveApproval(again.approvalId, 'approve');
    // The same pairwise DID comes back: it belongs to the site, the grant was what ended.
    expect((await again.result).did).toBe(grant.did);
  });

  it('shows a site only its own grants, and refuses to revoke another site\'s grant (4100, as if unknown)', async () => {
    const mine = await connect(SITE);
    await connect(OTHER_SITE);
    expect((await wallet.siteGrants(SITE)).map((g) => g.id)).toEqual([mine.id]);
    expect(await rejection(wallet.siteRevokeGrant(OTHER_SITE, mine.id))).toEqual({ code: 4100, message: 'Unknown grant.' });
    expect(await rejection(wallet.siteRevokeGrant(OTHER_SITE, 'unknown-grant-id'))).toEqual({ code: 4100, message: 'Unknown grant.' });
    expect((await wallet.siteGrants(SITE))[0]?.status).toBe('active');
    await expect(wallet.siteRevokeGrant(SITE, mine.id)).resolves.toEqual({ revoked: true });
    expect((await wallet.siteGrants(SITE))[0]?.status).toBe('revoked');
  });

  it('expires identity grants after their term', async () => {
    await connect(SITE);
    ports.clock.now += 91 * 86_400_000;
    expect((await wallet.siteGrants(SITE))[0]?.status).toBe('expired');
    const again = await requestWithApproval(SITE, 'nonce-0009');
    await wallet.resolveApproval(again.approvalId, 'approve');
    await expect(again.result).resolves.toHaveProperty('did');
  });

  it('answers 4900 to grant calls while locked', async () => {
    await wallet.lock();
    expect((await rejection(wallet.siteGrants(SITE))).code).toBe(4900);
  });
});

describe('lock state', () => {
  it('starts the auto-lock countdown on unlock and activity, and stops it on lock', async () => {
    expect(ports.autoLock.minutes).toBe(15);
    await wallet.setAutoLock(5);
    expect(ports.autoLock.minutes).toBe(5);
    await wallet.lock();
    expect(ports.autoLock.minutes).toBeNull();
    expect(ports.events.sent).toContainEqual({ origin: '*', event: 'locked', data: {} });
    await wallet.unlock(PASSWORD);
    expect(ports.autoLock.minutes).toBe(5);
    expect((await wallet.state()).unlocked).toBe(true);
  });

  it('keeps nothing personal or secret in storage in the clear', async () => {
    const { result, approvalId } = await requestWithApproval(SITE, 'nonce-0001');
    await wallet.resolveApproval(approvalId, 'approve');
    const { did } = await result;
    const dump = JSON.stringify(ports.store.dump(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    for (const needle of [did, did.slice('did:key:'.length), SITE, '127.0.0.1', 'privateKeyHex', 'Ed25519', 'IdentityVerification']) {
      expect(dump).not.toContain(needle);
    }
    const session = JSON.stringify(await ports.session.get('approvals'));
    expect(session).toBe('{}');
  });
});
