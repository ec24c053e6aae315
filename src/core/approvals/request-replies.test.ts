import { beforeEach, describe, expect, it } from 'vitest';
import type { BackgroundReply } from '../../protocol/envelope.ts';
import { DomainError } from '../errors.ts';
import { MemorySessionStore } from '../storage/memory-store.ts';
import { AWAITED_REPLY_TTL_MS, MAX_AWAITED_REPLIES, RequestReplies, UNCLAIMED_REPLY_TTL_MS } from './request-replies.ts';

const SITE = 'https://a.example';
const OK: BackgroundReply = { ok: true, result: { did: 'did:key:z6Mk' } };
const REJECTED: BackgroundReply = { ok: false, error: { code: 4001, message: 'User rejected the request.' } };

let session: MemorySessionStore;
let clock: { now: number };
let replies: RequestReplies<BackgroundReply>;
const restarted = () => new RequestReplies<BackgroundReply>(session, () => clock.now);
const stored = async () => Object.keys((await session.get<Record<string, unknown>>('replies')) ?? {});

beforeEach(() => {
  session = new MemorySessionStore();
  clock = { now: 1_700_000_000_000 };
  replies = restarted();
});

describe('RequestReplies', () => {
  it('hands the reply to a waiter, and forgets it once delivered', async () => {
    await replies.expect('r1', SITE);
    const waiting = replies.wait('r1', SITE);
    await replies.complete('r1', OK);
    await expect(waiting).resolves.toEqual(OK);
    expect(await stored()).toEqual([]);
  });

  it('keeps a reply nobody waits for until a restarted worker is asked for it; the first reply wins', async () => {
    await replies.expect('r1', SITE);
    await replies.complete('r1', OK);
    await replies.complete('r1', REJECTED);
    await expect(restarted().wait('r1', SITE)).resolves.toEqual(OK);
    await expect(restarted().wait('r1', SITE)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an unknown request, or another origin, is `not_found` (a DomainError)', async () => {
    await replies.expect('r1', SITE);
    const unknown = replies.wait('nope', SITE);
    await expect(unknown).rejects.toBeInstanceOf(DomainError);
    await expect(unknown).rejects.toMatchObject({ code: 'not_found' });
    await expect(replies.wait('r1', 'https://b.example')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('forgets an uncollected reply after its TTL', async () => {
    await replies.expect('r1', SITE);
    await replies.complete('r1', OK);
    clock.now += UNCLAIMED_REPLY_TTL_MS;
    await replies.expect('r2', SITE);
    expect(await stored()).toEqual(['r2']);
    await expect(replies.wait('r1', SITE)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('forgets a request that never got a reply after its TTL, so session storage stays bounded', async () => {
    await replies.expect('r1', SITE);
    clock.now += AWAITED_REPLY_TTL_MS - 1;
    await replies.expect('r2', SITE);
    expect(await stored()).toEqual(['r1', 'r2']);
    clock.now += 1;
    await replies.expect('r3', SITE);
    expect(await stored()).toEqual(['r2', 'r3']);
    await expect(restarted().wait('r1', SITE)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('still answers a page that waits past the TTL', async () => {
    await replies.expect('r1', SITE);
    const waiting = replies.wait('r1', SITE);
    await replies.forget('none'); // runs after wait has registered its waiter
    clock.now += AWAITED_REPLY_TTL_MS * 2;
    await replies.expect('r2', SITE);
    expect(await stored()).toContain('r1');
    await replies.complete('r1', REJECTED);
    await expect(waiting).resolves.toEqual(REJECTED);
  });

  it(`refuses more than ${MAX_AWAITED_REPLIES} requests awaiting a reply at once`, async () => {
    for (let i = 0; i < MAX_AWAITED_REPLIES; i++) await replies.expect(`r${i}`, SITE);
    await expect(replies.expect('one-more', SITE)).rejects.toMatchObject({ name: 'DomainError', code: 'pending' });
    expect(await stored()).toHaveLength(MAX_AWAITED_REPLIES);
    await replies.forget('r0');
    await expect(replies.expect('one-more', SITE)).resolves.toBeUndefined();
  });
});
