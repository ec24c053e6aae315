import { verifyConsistency } from '../ledger/merkle-verify.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnchoringView } from '../../protocol/anchoring-views.ts';
import type { DataAccessResult } from '../../protocol/rpc.ts';
import { createTestIssuer, issueJwtVc } from '../../../test/support/issuers.ts';
import { MemoryAnchorChain } from '../../../test/support/memory-chain.ts';
import { rejection } from '../../../test/support/rejection.ts';
import { makeTestPorts, type TestPorts } from '../../../test/support/test-ports.ts';
import { TEST_PASSWORD } from '../../../test/support/wallet-driver.ts';
import { base64UrlHashToHex, receiptHash, verifyReceiptProof } from '../anchoring/receipt-verification.ts';
import { toBase64Url, toHex } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import { entryLeafHash, payloadDigest, type LedgerEntry } from '../ledger/entry.ts';
import { verifyInclusion } from '../ledger/merkle-verify.ts';
import type { WriteOp } from '../ports.ts';
import { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const LIBRARY = 'http://127.0.0.1:7003';
const OTHER = 'http://127.0.0.1:7004';

let ports: TestPorts;
let chain: MemoryAnchorChain;
let wallet: Wallet;
let credentialId: string;
let counter = 0;
const requestId = () => `req-${String(++counter).padStart(16, '0')}`;

/** Runs a request that opens an approval and approves it with `choices`. */
async function approved<T>(start: () => Promise<T>, choices?: Parameters<Wallet['desk']['resolve']>[2]): Promise<T> {
  const shown = ports.presenter.nextApproval();
  const result = start();
  await wallet.desk.resolve(await shown, 'approve', choices);
  return result;
}

/** A data grant to `origin` over the resident credential, with its consent receipt. */
async function grantData(origin = LIBRARY): Promise<DataAccessResult> {
  const { dataAccess } = await wallet.credentials();
  const result = await approved(
    () =>
      dataAccess.request(origin, requestId(), {
        purpose: 'dpv:ServiceProvision',
        nonce: `nonce-${requestId()}`,
        duration_days: 30,
        dcql_query: { credentials: [{ id: 'residency', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] },
      }),
    { queries: { residency: { credentialId, claims: [] } } },
  );
  await settled();
  return result;
}

/** `count` more ledger entries (silent logins of the registry), letting anchoring react to each. */
async function addEntries(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await wallet.identity.request(REGISTRY, requestId(), { nonce: `login-nonce-${String(i).padStart(4, '0')}` });
    await settled();
  }
}

/** Waits until anchoring's pass (started by the last commit, if any) has finished. */
const settled = () => wallet.anchoring.kick();

async function enable(changes: { everyEntries?: number; everyMinutes?: number; contract?: string } = {}): Promise<AnchoringView> {
  await wallet.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, everyEntries: 16, everyMinutes: 60, ...changes });
  await settled();
  return wallet.anchoring.view();
}

const view = () => wallet.anchoring.view();
const ledgerSize = async () => (await view()).ledgerSize;
const logId = async () => (await view()).account!.logId;
const unlocked = () => wallet.session.require();
const target = () => ({ rpcUrl: chain.rpcUrl, contract: chain.contract });

beforeEach(async () => {
  chain = new MemoryAnchorChain();
  ports = makeTestPorts();
  ports.chain = chain;
  wallet = new Wallet(ports);
  await wallet.locking.create(TEST_PASSWORD);
  const login = await approved(() => wallet.identity.request(REGISTRY, requestId(), { nonce: 'login-nonce-first' }));
  const issuer = await createTestIssuer();
  const jwt = await issueJwtVc(issuer, { subjectDid: login.did, types: ['ResidentCredential'], claims: { given_name: 'Ada', city: 'Aldmere' } });
  const { intake } = await wallet.credentials();
  credentialId = (await approved(() => intake.offer(REGISTRY, requestId(), { credential: jwt }))).id;
});

describe('turning anchoring on', () => {
  it('reads the chain id from the RPC, creates the account once, keeps it through changes and when turned off', async () => {
    const on = await enable();
    expect(on.settings).toEqual({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract.toLowerCase(), chainId: chain.id, everyEntries: 16, everyMinutes: 60 });
    const account = on.account!;
    expect(account.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(account.logId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(on.balanceWei).toBe(String(await chain.balance(chain.rpcUrl, account.address)));
    expect(ports.scheduler.periodic.get('anchoring')).toBe(60);
    const changed = await enable({ everyEntries: 4 });
    expect(changed.account).toEqual(account);
    await wallet.anchoring.save({ enabled: false, everyEntries: 4, everyMinutes: 60 });
    const off = await view();
    expect(off.settings).toMatchObject({ enabled: false, rpcUrl: chain.rpcUrl, chainId: chain.id });
    expect(off.account).toEqual(account);
    expect(off.balanceWei).toBeNull();
    expect((await enable()).account).toEqual(account);
  });

  it('keeps the anchoring key only sealed in the vault: no stored value holds it or the address in clear', async () => {
    const { account } = await enable();
    const { privateKey } = (await (await unlocked()).anchoring.state()).account!;
    const key = fromBase64Url(privateKey);
    expect(key).toHaveLength(32);
    const stored = JSON.stringify([ports.store.dump(), ports.session.dump()], (_, value) =>
      value instanceof Uint8Array ? `${toHex(value)} ${toBase64Url(value)}` : value,
    ).toLowerCase();
    for (const secret of [privateKey, toHex(key), account!.address.slice(2)]) expect(stored).not.toContain(secret.toLowerCase());
    // And the record is there, sealed: a fresh wallet over the same store reads the same account.
    const again = new Wallet(ports);
    expect((await again.anchoring.view()).account).toEqual(account);
  });

  it('refuses a contract address with no code on that chain, precisely, and saves nothing', async () => {
    const nowhere = '0x000000000000000000000000000000000000dead';
    const refused = await rejection(wallet.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: nowhere, everyEntries: 16, everyMinutes: 60 }));
    expect(refused).toEqual({ code: 'invalid_input', message: `contract: there is no contract at ${nowhere} on chain ${chain.id}.` });
    expect((await ports.store.getAll('anchoring')).length).toBe(0);
    expect(await view()).toMatchObject({ settings: { enabled: false, rpcUrl: null, chainId: null }, account: null });
  });

  it('refuses an RPC URL that does not answer, or is not http(s), naming it', async () => {
    const silent = 'http://127.0.0.1:9/';
    const unreachable = await rejection(wallet.anchoring.save({ enabled: true, rpcUrl: silent, contract: chain.contract, everyEntries: 16, everyMinutes: 60 }));
    expect(unreachable.code).toBe('invalid_input');
    expect(unreachable.message).toMatch(/^rpcUrl: The chain at http:\/\/127\.0\.0\.1:9\/ did not answer/);
    chain.down = true;
    const down = await rejection(wallet.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, everyEntries: 16, everyMinutes: 60 }));
    expect(down.message).toContain(`rpcUrl: The chain at ${chain.rpcUrl} did not answer`);
    expect(await rejection(wallet.anchoring.save({ enabled: true, rpcUrl: 'ftp://127.0.0.1/', contract: chain.contract, everyEntries: 16, everyMinutes: 60 }))).toEqual({
      code: 'invalid_input',
      message: 'rpcUrl: must be an http: or https: URL.',
    });
    expect((await ports.store.getAll('anchoring')).length).toBe(0);
  });

  it('cannot be turned on in a build without a chain client', async () => {
    const bare = makeTestPorts();
    const noChain = new Wallet(bare);
    await noChain.locking.create(TEST_PASSWORD);
    expect(await rejection(noChain.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, everyEntries: 16, everyMinutes: 60 }))).toEqual({
      code: 'invalid_request',
      message: 'This build of the wallet has no chain client.',
    });
  });
});

describe('anchoring the ledger', () => {
  it('anchors what the ledger holds when turned on, then every N entries, each with its anchor.sent entry', async () => {
    const before = await ledgerSize();
    const on = await enable({ everyEntries: 4 });
    const id = on.account!.logId;
    // The period has no start yet, so the first pass anchors at once (see anchor-policy.test.ts).
    expect(on.lastAnchor).toMatchObject({ treeSize: before });
    expect(on).toMatchObject({ ledgerSize: before + 1, unanchoredEntries: 0 });
    await addEntries(3);
    expect(chain.minedTransactions()).toHaveLength(1);
    expect((await view()).unanchoredEntries).toBe(3);
    await addEntries(1);
    const after = await view();
    expect(after.lastAnchor?.treeSize).toBe(before + 1 + 4);
    expect(chain.minedCalls()).toEqual([
      { fn: 'anchor', logId: id, treeSize: before, root: expect.any(String) },
      { fn: 'anchor', logId: id, treeSize: before + 5, root: base64UrlHashToHex(after.lastAnchor!.root) },
    ]);
    expect(after.transactions.map((t) => [t.kind, t.state, t.treeSize])).toEqual([
      ['anchor', 'confirmed', before + 5],
      ['anchor', 'confirmed', before],
    ]);
    expect(after.lastAnchor?.txHash).toBe(after.transactions[0]?.txHash);
    // Each mined anchor wrote its own ledger entry, and the ledger is intact.
    const sent = (await wallet.activity.list({ offset: 0, limit: 100, kind: 'anchor.sent' })).entries;
    expect(sent).toHaveLength(2);
    const root = await (await unlocked()).ledger.root(before + 5);
    expect(root).toBe(after.lastAnchor!.root);
    expect(await wallet.activity.verify()).toMatchObject({ ok: true, size: before + 6 });
  });

  it('anchors every T minutes, only when entries were added', async () => {
    await enable({ everyEntries: 100, everyMinutes: 10 });
    expect(ports.scheduler.periodic.get('anchoring')).toBe(10);
    ports.clock.now += 11 * 60_000;
    await wallet.runJob('anchoring');
    // Only the first anchor's own entry is new: nothing to anchor.
    expect(chain.minedTransactions()).toHaveLength(1);
    await addEntries(1);
    expect(chain.minedTransactions()).toHaveLength(2);
    ports.clock.now += 5 * 60_000;
    await addEntries(1);
    await wallet.runJob('anchoring');
    expect(chain.minedTransactions()).toHaveLength(2);
    ports.clock.now += 5 * 60_000;
    await wallet.runJob('anchoring');
    expect(chain.minedTransactions()).toHaveLength(3);
    expect((await view()).unanchoredEntries).toBe(0);
  });

  it('anchors on demand, not while off, and never two at once', async () => {
    expect(await rejection(wallet.anchoring.anchorNow())).toEqual({ code: 'invalid_request', message: 'Chain anchoring is off: turn it on in the settings first.' });
    await enable();
    await addEntries(2);
    expect(chain.minedTransactions()).toHaveLength(1);
    await wallet.anchoring.anchorNow();
    await settled();
    expect((await view()).lastAnchor?.treeSize).toBe((await ledgerSize()) - 1);
    chain.down = true;
    await addEntries(1);
    await wallet.anchoring.anchorNow();
    await settled();
    await addEntries(1);
    await wallet.anchoring.anchorNow();
    await settled();
    const open = (await view()).transactions.filter((t) => t.state !== 'confirmed');
    expect(open.map((t) => t.kind)).toEqual(['anchor']);
  });
});

describe('successive anchors', () => {
  it('each anchor after the first carries a consistency proof from the last, which verifies, and its ledger entry records it', async () => {
    await enable({ everyEntries: 100 });
    const first = (await view()).lastAnchor!;
    await addEntries(2);
    await wallet.anchoring.anchorNow();
    await settled();
    const second = (await view()).lastAnchor!;
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    const tx = await (await unlocked()).anchoring.transaction(`an-${second.treeSize}`);
    expect(tx?.consistency).toMatchObject({ fromSize: first.treeSize, fromRoot: first.root });
    const proof = tx!.consistency!.proof.map(fromBase64Url);
    expect(verifyConsistency(first.treeSize, second.treeSize, fromBase64Url(first.root), fromBase64Url(second.root), proof)).toBe(true);
    const ledger = (await unlocked()).ledger;
    const [entry] = await ledger.page((await ledger.size()) - 1, 1);
    expect(entry?.entry.kind).toBe('anchor.sent');
    expect(JSON.parse(entry!.payload!).consistency).toEqual({ fromSize: first.treeSize, proof: tx!.consistency!.proof });
  });

  it('a log that does not extend the anchored one is not anchored: the transaction fails, saying why', async () => {
    await enable({ everyEntries: 100 });
    const store = (await unlocked()).anchoring;
    const state = await store.state();
    // As if the chain held the root of another history of the same size.
    const forged = { ...state, lastAnchor: { ...state.lastAnchor!, root: 'A'.repeat(42) + 'E' } };
    await ports.store.write([await store.stateOp(forged)]);
    const broadcasts = chain.broadcasts.length;
    await addEntries(1);
    await wallet.anchoring.anchorNow();
    await settled();
    const failed = (await view()).transactions.find((t) => t.kind === 'anchor' && t.state === 'failed');
    expect(failed?.lastError).toMatch(/no longer extends the one anchored at \d+ entries \(consistency proof failed\)/);
    expect(chain.broadcasts.length).toBe(broadcasts);
  });
});

describe('receipt proofs', () => {
  it('a data grant carries its receipt proof once anchored, and it verifies against the chain alone', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    expect(await wallet.grants.receipt(grant.id)).toEqual({ grantId: grant.id, receipt, receiptProof: null });
    expect((await wallet.grants.listForSite(LIBRARY))[0]?.receiptProof).toBeNull();
    await wallet.anchoring.anchorNow();
    await settled();
    const { receiptProof: proof } = await wallet.grants.receipt(grant.id);
    expect(proof).not.toBeNull();
    const anchor = (await view()).lastAnchor!;
    const mined = await chain.minedTransaction(chain.rpcUrl, anchor.txHash);
    expect(proof!.anchor).toEqual({ chainId: chain.id, contract: chain.contract.toLowerCase(), account: (await view()).account!.address, logId: await logId(), txHash: anchor.txHash, blockNumber: mined!.blockNumber });
    expect(proof).toMatchObject({ v: 1, receipt, treeSize: anchor.treeSize, root: anchor.root, entry: { kind: 'grant.given', subject: grant.id } });
    // The pieces, checked by hand: digest, inclusion, the root the chain has.
    expect(payloadDigest(fromBase64Url(proof!.salt), receipt)).toBe(proof!.entry.digest);
    expect(verifyInclusion(proof!.leafIndex, proof!.treeSize, entryLeafHash(proof!.entry as LedgerEntry), proof!.inclusion.map(fromBase64Url), fromBase64Url(proof!.root))).toBe(true);
    expect(mined!.anchored).toEqual([{ contract: chain.contract, logId: await logId(), treeSize: proof!.treeSize, root: base64UrlHashToHex(proof!.root) }]);
    // And by the verifier anyone runs.
    const verdict = await verifyReceiptProof(proof, chain, chain.rpcUrl);
    expect(verdict).toMatchObject({ ok: true, firstFailure: null, revokedAtBlock: null });
    expect((await wallet.grants.listForSite(LIBRARY))[0]?.receiptProof).toEqual(proof);
    expect(await wallet.grants.listForSite(OTHER)).toEqual([]);
  });

  it('a grant made after the last anchor has no proof until the next one covers it', async () => {
    await enable({ everyEntries: 100 });
    const first = await grantData();
    await wallet.anchoring.anchorNow();
    await settled();
    const second = await grantData(OTHER);
    expect((await wallet.grants.receipt(second.grant.id)).receiptProof).toBeNull();
    expect((await wallet.grants.receipt(first.grant.id)).receiptProof).not.toBeNull();
    await wallet.anchoring.anchorNow();
    await settled();
    const proof = (await wallet.grants.receipt(second.grant.id)).receiptProof;
    expect(proof?.treeSize).toBe((await view()).lastAnchor?.treeSize);
    expect((await verifyReceiptProof(proof, chain, chain.rpcUrl)).ok).toBe(true);
  });

  it('after a revocation the proof still verifies and reports the block the anchoring account revoked it in', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    await wallet.anchoring.anchorNow();
    await settled();
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    const account = (await view()).account!.address;
    const block = await chain.revokedAt(target(), account, receiptHash(receipt));
    expect(block).toBeGreaterThan(0);
    const { receiptProof } = await wallet.grants.receipt(grant.id);
    expect(await verifyReceiptProof(receiptProof, chain, chain.rpcUrl)).toMatchObject({ ok: true, revokedAtBlock: block });
  });
});

describe('revocations', () => {
  it('queues the revoke transaction in the revocation’s own store write, and sends it once', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    const writes: WriteOp[][] = [];
    const write = ports.store.write.bind(ports.store);
    ports.store.write = async (ops) => {
      writes.push([...ops]);
      return write(ops);
    };
    // The node is down, so only the queueing can have written the transaction.
    chain.down = true;
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    const revocationWrite = writes.find((ops) => ops.some((op) => op.collection === 'grants'));
    expect(revocationWrite?.map((op) => op.collection)).toEqual(expect.arrayContaining(['grants', 'ledger', 'anchorQueue']));
    expect(writes.indexOf(revocationWrite!)).toBe(0);
    const queued = (await view()).transactions.find((t) => t.kind === 'revoke');
    expect(queued).toMatchObject({ grantId: grant.id, receiptHash: receiptHash(receipt), state: 'queued', attempts: 1 });
    chain.down = false;
    await wallet.anchoring.retry(queued!.id);
    await settled();
    // Revoking again, by the holder or the site, sends nothing more.
    await wallet.grants.revokeAsHolder(grant.id);
    await wallet.grants.revokeAsSite(LIBRARY, grant.id);
    await settled();
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
    expect((await view()).transactions.filter((t) => t.kind === 'revoke')).toMatchObject([{ state: 'confirmed', grantId: grant.id }]);
    expect(await chain.revokedAt(target(), (await view()).account!.address, receiptHash(receipt))).toBe(chain.minedTransactions().at(-1)!.blockNumber);
  });

  it('a site giving up its grant is sent as well', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    await wallet.grants.revokeAsSite(LIBRARY, grant.id);
    await settled();
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
  });

  it('an identity grant’s revocation queues nothing', async () => {
    await enable({ everyEntries: 100 });
    const identityGrant = (await wallet.grants.listForHolder()).find((g) => g.kind === 'identity')!;
    await wallet.grants.revokeAsHolder(identityGrant.id);
    await settled();
    expect((await view()).transactions.filter((t) => t.kind === 'revoke')).toEqual([]);
    expect(chain.minedCalls().filter((c) => c.fn === 'revoke')).toEqual([]);
  });

  it('revocations made while anchoring was off are sent when it is turned on', async () => {
    const never = await grantData();
    await wallet.grants.revokeAsHolder(never.grant.id);
    await enable({ everyEntries: 100 });
    expect(chain.minedRevokes(receiptHash(never.receipt))).toBe(1);
    await wallet.anchoring.save({ enabled: false, everyEntries: 100, everyMinutes: 60 });
    const paused = await grantData(OTHER);
    await wallet.grants.revokeAsHolder(paused.grant.id);
    await settled();
    expect(chain.minedRevokes(receiptHash(paused.receipt))).toBe(0);
    await enable({ everyEntries: 100 });
    expect(chain.minedRevokes(receiptHash(paused.receipt))).toBe(1);
    expect(chain.minedRevokes(receiptHash(never.receipt))).toBe(1);
  });
});

describe('a revocation while the settings change', () => {
  // The enricher queues earlier revocations in the settings' own transaction, under the
  // commit point's enricher lock, which a revocation's commit takes too: whichever
  // commits first, the other sees it. (Before, the save read the grants outside it.)
  it('a revocation racing the save that turns anchoring on is still sent', async () => {
    const { grant, receipt } = await grantData();
    await Promise.all([enable({ everyEntries: 100 }), wallet.grants.revokeAsHolder(grant.id)]);
    await wallet.runJob('anchoring');
    await settled();
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
  });

  it('pointing anchoring at another contract queues the revocations again there, and anchors afresh', async () => {
    const { grant, receipt } = await grantData();
    await enable({ everyEntries: 100 });
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
    const other = chain.deployAnother();
    await enable({ everyEntries: 100, contract: other });
    await settled();
    const moved = await view();
    expect(moved.lastAnchor?.treeSize).toBeGreaterThan(0);
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(2);
  });
});

describe('the chain down in the middle', () => {
  it('queues with attempts, error and backoff; back up, sends each once: no duplicate, no gap, no lost revocation', async () => {
    await enable({ everyEntries: 3 });
    const id = await logId();
    chain.down = true;
    const { grant, receipt } = await grantData();
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    await addEntries(3);
    const waiting = await view();
    const open = waiting.transactions.filter((t) => t.state !== 'confirmed');
    expect(open.map((t) => [t.kind, t.state])).toEqual(expect.arrayContaining([['anchor', 'queued'], ['revoke', 'queued']]));
    expect(open).toHaveLength(2);
    const anchor = open.find((t) => t.kind === 'anchor')!;
    expect(anchor.attempts).toBeGreaterThan(0);
    expect(anchor.lastError).toMatch(/^The chain at http:\/\/127\.0\.0\.1:8545\/ did not answer/);
    expect(Date.parse(anchor.nextAttemptAt!)).toBeGreaterThan(ports.clock.now);
    expect(ports.scheduler.timers.get('anchoring-retry')).toBeGreaterThanOrEqual(0.5);
    expect(waiting.balanceError).toMatch(/did not answer/);
    // Still down when the retry fires: the next attempt backs off further.
    ports.clock.now = Date.parse(anchor.nextAttemptAt!);
    await wallet.runJob('anchoring-retry');
    const again = (await view()).transactions.find((t) => t.id === anchor.id)!;
    expect(again.attempts).toBe(anchor.attempts + 1);
    expect(Date.parse(again.nextAttemptAt!) - ports.clock.now).toBeGreaterThan(Date.parse(anchor.nextAttemptAt!) - Date.parse(anchor.updatedAt));
    chain.down = false;
    ports.clock.now = Date.parse(again.nextAttemptAt!);
    await wallet.runJob('anchoring-retry');
    const back = await view();
    expect(back.transactions.filter((t) => t.state !== 'confirmed')).toEqual([]);
    expect(chain.minedAnchors(id, anchor.treeSize!)).toBe(1);
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
    // No gap: the next anchor covers everything added while the chain was away.
    await wallet.anchoring.anchorNow();
    await settled();
    const sizes = chain.minedCalls().flatMap((c) => (c.fn === 'anchor' ? [c.treeSize] : []));
    expect(sizes).toEqual([...new Set(sizes)].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBe((await ledgerSize()) - 1);
    const { receiptProof } = await wallet.grants.receipt(grant.id);
    expect(await verifyReceiptProof(receiptProof, chain, chain.rpcUrl)).toMatchObject({ ok: true, revokedAtBlock: expect.any(Number) });
    expect(await wallet.activity.verify()).toMatchObject({ ok: true });
  });

  it('retry() sends a waiting transaction at once, before its backoff ends', async () => {
    await enable({ everyEntries: 100 });
    await addEntries(1);
    chain.down = true;
    await wallet.anchoring.anchorNow();
    await settled();
    const [queued] = (await view()).transactions.filter((t) => t.state === 'queued');
    chain.down = false;
    await wallet.anchoring.retry(queued!.id);
    await settled();
    expect((await view()).transactions.find((t) => t.id === queued!.id)?.state).toBe('confirmed');
    // A retry that finds it mined (sent meanwhile) changes nothing and is no error.
    const again = await wallet.anchoring.retry(queued!.id);
    expect(again.transactions.find((t) => t.id === queued!.id)?.state).toBe('confirmed');
    expect((await rejection(wallet.anchoring.retry('an-999999'))).code).toBe('not_found');
  });

  it('the node took the transaction but the answer was lost: found by its hash, one transaction mined', async () => {
    await enable({ everyEntries: 100 });
    await addEntries(1);
    chain.loseBroadcastAnswers = 1;
    await wallet.anchoring.anchorNow();
    await settled();
    expect((await view()).transactions.filter((t) => t.state !== 'confirmed')).toEqual([]);
    // Lost, and the node went away before the lookup: the retry finds it mined.
    await addEntries(1);
    chain.loseBroadcastAnswers = 1;
    chain.afterBroadcast = () => {
      chain.down = true;
    };
    await wallet.anchoring.anchorNow();
    await settled();
    const [waiting] = (await view()).transactions.filter((t) => t.state !== 'confirmed');
    expect(waiting).toMatchObject({ kind: 'anchor', state: 'queued', attempts: 1 });
    expect(waiting?.txHash).not.toBeNull();
    chain.afterBroadcast = null;
    chain.down = false;
    const broadcasts = chain.broadcasts.length;
    await wallet.anchoring.retry(waiting!.id);
    await settled();
    expect((await view()).lastAnchor?.txHash).toBe(waiting!.txHash);
    expect(chain.broadcasts.length).toBe(broadcasts);
    expect(chain.minedAnchors(await logId(), waiting!.treeSize!)).toBe(1);
    expect(chain.minedTransactions()).toHaveLength(3);
  });

  it('a worker restart (a new wallet over the same store and session) carries on with the queue', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    chain.down = true;
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    // A pending anchor too: sent, not yet mined, when the worker stops.
    chain.down = false;
    chain.automine = false;
    await wallet.anchoring.anchorNow();
    await settled();
    const before = await view();
    expect(before.transactions.filter((t) => t.state !== 'confirmed').map((t) => [t.kind, t.state]).sort()).toEqual([['anchor', 'sent'], ['revoke', 'queued']]);
    const anchorId = before.transactions.find((t) => t.kind === 'anchor' && t.state === 'sent')!.id;

    wallet = new Wallet(ports);
    chain.mine();
    chain.automine = true;
    ports.clock.now += 31 * 60_000;
    await wallet.start();
    await settled();
    const after = await view();
    expect(after.transactions.filter((t) => t.state !== 'confirmed')).toEqual([]);
    expect(after.transactions.find((t) => t.id === anchorId)?.state).toBe('confirmed');
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
    expect(chain.minedTransactions().filter((m) => m.anchored.length > 0)).toHaveLength(2);
    expect(await wallet.activity.verify()).toMatchObject({ ok: true });
  });
});

describe('failures a retry cannot fix by itself', () => {
  it('a reverted transaction is failed; retry() signs it afresh and sends it', async () => {
    await enable({ everyEntries: 100 });
    await addEntries(1);
    chain.revertNext = true;
    await wallet.anchoring.anchorNow();
    await settled();
    const [failed] = (await view()).transactions.filter((t) => t.state === 'failed');
    expect(failed).toMatchObject({ kind: 'anchor', lastError: 'The chain reverted the transaction.' });
    expect(failed?.blockNumber).toBe(chain.minedTransactions().at(-1)!.blockNumber);
    await wallet.anchoring.retry(failed!.id);
    await settled();
    const done = (await view()).transactions.find((t) => t.id === failed!.id)!;
    expect(done.state).toBe('confirmed');
    expect(done.txHash).not.toBe(failed!.txHash);
    expect(chain.minedTransactions().map((m) => m.status)).toEqual(['success', 'reverted', 'success']);
    expect(chain.minedAnchors(await logId(), failed!.treeSize!)).toBe(1);
  });

  it('retrying a failed anchor that a later anchor already covers drops it unsent', async () => {
    await enable({ everyEntries: 100 });
    await addEntries(1);
    chain.revertNext = true;
    await wallet.anchoring.anchorNow();
    await settled();
    const [failed] = (await view()).transactions.filter((t) => t.state === 'failed');
    await addEntries(1);
    await wallet.anchoring.anchorNow();
    await settled();
    expect((await view()).lastAnchor!.treeSize).toBeGreaterThan(failed!.treeSize!);
    const broadcasts = chain.broadcasts.length;
    await wallet.anchoring.retry(failed!.id);
    await settled();
    expect(chain.broadcasts.length).toBe(broadcasts);
    expect((await view()).transactions.find((t) => t.id === failed!.id)).toBeUndefined();
  });

  it('an account that cannot pay waits, saying so, and goes once funded', async () => {
    chain = new MemoryAnchorChain({ initialBalance: 0n });
    ports.chain = chain;
    wallet = new Wallet(ports);
    const on = await enable();
    expect(on.balanceWei).toBe('0');
    const [waiting] = on.transactions;
    expect(waiting).toMatchObject({ kind: 'anchor', state: 'queued', attempts: 1 });
    expect(waiting?.lastError).toMatch(/insufficient funds/);
    chain.fund(on.account!.address, 10n ** 16n);
    // No retry click: the dashboard's next look sees the balance and the anchor goes.
    await view();
    await settled();
    const paid = await view();
    expect(paid.transactions[0]?.state).toBe('confirmed');
    expect(BigInt(paid.balanceWei!)).toBeLessThan(10n ** 16n);
  });

  it('a locked wallet sends nothing until it is unlocked', async () => {
    await enable({ everyEntries: 100 });
    const { grant, receipt } = await grantData();
    chain.down = true;
    await wallet.grants.revokeAsHolder(grant.id);
    await settled();
    await wallet.locking.lock();
    chain.down = false;
    ports.clock.now += 31 * 60_000;
    const broadcasts = chain.broadcasts.length;
    await wallet.runJob('anchoring-retry');
    await settled();
    expect(chain.broadcasts.length).toBe(broadcasts);
    await wallet.locking.unlock(TEST_PASSWORD);
    await settled();
    expect(chain.minedRevokes(receiptHash(receipt))).toBe(1);
  });
});
