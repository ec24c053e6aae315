import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { MemorySessionStore } from '../storage/memory-store.ts';
import { RecordingPresenter } from '../../../test/support/test-ports.ts';
import { APPROVAL_TTL_MS, ApprovalQueue, MAX_PENDING_APPROVALS, type NewApproval } from './approval-queue.ts';

let session: MemorySessionStore;
let presenter: RecordingPresenter;
let clock: { now: number };
let queue: ApprovalQueue;
const now = () => clock.now;
/** A queue as a restarted service worker builds it: same storage and windows, nothing in memory. */
const restartedQueue = () => new ApprovalQueue(session, presenter, now);

let counter = 0;
function identityRequest(origin: string): NewApproval {
  counter += 1;
  return { kind: 'identity', origin, requestId: `req-${counter}`, requestHash: `hash-${counter}`, params: { nonce: `nonce-${counter}` } };
}
const offerRequest = (origin: string): NewApproval => ({ ...identityRequest(origin), kind: 'offer', credential: 'eyJ.offer.jwt' });

/** The approval ids whose windows are open now. */
const shownNow = () => [...presenter.windows.values()];

beforeEach(() => {
  session = new MemorySessionStore();
  presenter = new RecordingPresenter();
  clock = { now: 1_700_000_000_000 };
  queue = restartedQueue();
});

describe('one approval window at a time', () => {
  it('shows the first approval and queues the others, across origins', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    const c = await queue.open(offerRequest('https://c.example'));
    expect(presenter.opened).toEqual([a.id]);
    expect(a.windowId).not.toBeNull();
    expect([b.windowId, c.windowId]).toEqual([null, null]);
    expect((await queue.get(b.id))?.windowId).toBeNull();
  });

  it('shows the oldest queued approval once the shown one is removed', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    const c = await queue.open(identityRequest('https://c.example'));
    await queue.remove(a.id);
    expect(presenter.opened).toEqual([a.id, b.id]);
    expect((await queue.get(b.id))?.windowId).toBe([...presenter.windows.keys()].at(-1));
    await queue.remove(b.id);
    expect(presenter.opened).toEqual([a.id, b.id, c.id]);
    expect(await queue.get(a.id)).toBeUndefined();
  });

  it('a closed window gives back its unclaimed approval and shows the next one', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    presenter.close(a.windowId!);
    const taken = await queue.takeByWindow(a.windowId!);
    expect(taken.map((t) => t.id)).toEqual([a.id]);
    expect(taken[0]).toMatchObject({ origin: 'https://a.example', requestId: a.requestId, kind: 'identity' });
    expect(await queue.get(a.id)).toBeUndefined();
    expect(shownNow()).toEqual([b.id]);
    expect(await queue.takeByWindow(a.windowId!)).toEqual([]);
  });

  it('a presenter that fails leaves nothing pending for that request', async () => {
    const failing = new (class extends RecordingPresenter {
      override async open(): Promise<{ windowId: number }> {
        throw new Error('no window');
      }
    })();
    const q = new ApprovalQueue(session, failing, now);
    await expect(q.open(identityRequest('https://a.example'))).rejects.toThrow('no window');
    await expect(queue.open(identityRequest('https://a.example'))).resolves.toMatchObject({ origin: 'https://a.example' });
  });
});

describe('settling: claim, store the reply, remove', () => {
  it('claims once: a second claim, or a claim of an unknown approval, gets nothing', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    expect(await queue.claim(a.id)).toMatchObject({ id: a.id, requestId: a.requestId });
    expect(await queue.claim(a.id)).toBeUndefined();
    expect(await queue.claim('no-such-approval')).toBeUndefined();
    // Claimed is still pending until removed: the reply is stored first.
    expect(await queue.get(a.id)).toMatchObject({ id: a.id });
    await queue.remove(a.id);
    expect(await queue.get(a.id)).toBeUndefined();
    expect(await queue.claim(a.id)).toBeUndefined();
  });

  it('release makes a refused decision pending again', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    await queue.claim(a.id);
    await queue.release(a.id);
    expect(await queue.get(a.id)).toMatchObject({ id: a.id, windowId: a.windowId });
    expect(await queue.claim(a.id)).toMatchObject({ id: a.id });
  });

  it('a window closed while its approval settles keeps it; released, it is shown again after the next one', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    await queue.claim(a.id);
    presenter.close(a.windowId!);
    expect(await queue.takeByWindow(a.windowId!)).toEqual([]);
    expect(await queue.get(a.id)).toMatchObject({ id: a.id, windowId: null });
    expect(shownNow()).toEqual([b.id]);
    await queue.release(a.id);
    expect(shownNow()).toEqual([b.id]);
    await queue.remove(b.id);
    expect(presenter.opened).toEqual([a.id, b.id, a.id]);
  });
});

describe('reconcile on worker start', () => {
  it('pending approvals survive a worker restart', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    const restarted = restartedQueue();
    expect(await restarted.reconcile()).toEqual([]);
    expect(await restarted.get(a.id)).toEqual(a);
    expect(await restarted.get(b.id)).toEqual(b);
    expect(presenter.opened).toEqual([a.id]);
  });

  it('drops an approval whose window is gone and shows the next queued one', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    presenter.close(a.windowId!); // closed while no worker listened for windows.onRemoved
    const restarted = restartedQueue();
    expect((await restarted.reconcile()).map((x) => x.id)).toEqual([a.id]);
    expect(await restarted.get(a.id)).toBeUndefined();
    expect(shownNow()).toEqual([b.id]);
    expect((await restarted.get(b.id))?.windowId).not.toBeNull();
  });

  it('drops approvals older than the TTL, shown or queued, and keeps younger ones', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    clock.now += 60_000;
    const c = await queue.open(identityRequest('https://c.example'));
    clock.now += APPROVAL_TTL_MS - 60_000;
    const restarted = restartedQueue();
    expect((await restarted.reconcile()).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect(await restarted.get(c.id)).toMatchObject({ id: c.id });
    expect(shownNow()).toEqual([a.id, c.id]); // a's window closes itself once it sees a settled approval
  });

  it('drops an approval claimed by a worker that died before removing it, not one this worker is settling', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    await queue.claim(a.id);
    expect(await queue.reconcile()).toEqual([]);
    const restarted = restartedQueue();
    expect((await restarted.reconcile()).map((x) => x.id)).toEqual([a.id]);
    expect(await restarted.get(a.id)).toBeUndefined();
  });

  it('prunes an index entry whose content a killed worker already removed', async () => {
    const a = await queue.open(identityRequest('https://a.example'));
    const b = await queue.open(identityRequest('https://b.example'));
    await session.remove(`approval:${a.id}`);
    const restarted = restartedQueue();
    expect(await restarted.reconcile()).toEqual([]);
    expect(await restarted.get(a.id)).toBeUndefined();
    await expect(restarted.open(identityRequest('https://a.example'))).resolves.toMatchObject({ windowId: null });
    expect((await restarted.get(b.id))?.id).toBe(b.id);
  });
});

describe('bounds', () => {
  it('one pending per origin and kind: a second is `pending`, another kind queues', async () => {
    await queue.open(identityRequest('https://a.example'));
    const again = queue.open(identityRequest('https://a.example'));
    await expect(again).rejects.toBeInstanceOf(DomainError);
    await expect(again).rejects.toMatchObject({ code: 'pending' });
    await expect(queue.open(offerRequest('https://a.example'))).resolves.toMatchObject({ kind: 'offer', windowId: null });
  });

  it(`at most ${MAX_PENDING_APPROVALS} pending across all origins; removing one makes room`, async () => {
    const opened = [];
    for (let i = 0; i < MAX_PENDING_APPROVALS; i++) opened.push(await queue.open(identityRequest(`https://site-${i}.example`)));
    const over = queue.open(identityRequest('https://one-too-many.example'));
    await expect(over).rejects.toMatchObject({ name: 'DomainError', code: 'pending' });
    expect(presenter.opened).toHaveLength(1);
    await queue.remove(opened[10]!.id);
    await expect(queue.open(identityRequest('https://one-too-many.example'))).resolves.toMatchObject({ windowId: null });
  });

  it('keeps each approval under its own key; opening or settling another never rewrites it', async () => {
    const writes: string[][] = [];
    const set = session.set.bind(session);
    session.set = async (entries) => {
      writes.push(Object.keys(entries));
      return set(entries);
    };
    const a = await queue.open(offerRequest('https://a.example'));
    expect(await session.get(`approval:${a.id}`)).toMatchObject({ credential: 'eyJ.offer.jwt' });
    writes.length = 0;
    const b = await queue.open(offerRequest('https://b.example'));
    await queue.claim(b.id);
    await queue.remove(b.id);
    expect(writes.flat()).not.toContain(`approval:${a.id}`);
    expect(writes.flat()).toContain(`approval:${b.id}`);
    expect(JSON.stringify(await session.get('approvals:index'))).not.toContain('eyJ.offer.jwt');
    expect(await session.get(`approval:${b.id}`)).toBeUndefined();
  });
});
