import { describe, expect, it, vi } from 'vitest';
import { sessionCopy } from './session-copy.ts';
import type { SessionArea, SessionChanges } from './session-store.ts';

// Every test hands the store its own storage area; the polyfill only must not throw outside a browser.
vi.mock('webextension-polyfill', () => ({ default: {} }));
const { BrowserSessionStore } = await import('./session-store.ts');

type Listener = Parameters<SessionChanges['addListener']>[0];

/**
 * storage.session as Chrome behaves: calls run one at a time in the order made, each
 * answer comes a turn later, values are stored and given back as copies (sessionCopy),
 * and each change is announced on onChanged after the call that made it has answered.
 */
class FakeSessionArea implements SessionArea, SessionChanges {
  readonly data = new Map<string, unknown>();
  readonly calls: string[] = [];
  failNextSet = false;
  private readonly listeners: Listener[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  addListener(listener: Listener): void {
    this.listeners.push(listener);
  }

  get(key: string): Promise<Record<string, unknown>> {
    return this.run(`get ${key}`, () => (this.data.has(key) ? { [key]: sessionCopy(this.data.get(key)) } : {}));
  }

  set(entries: Record<string, unknown>): Promise<void> {
    return this.run(`set ${Object.keys(entries).join(',')}`, () => {
      if (this.failNextSet) {
        this.failNextSet = false;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      for (const [key, value] of Object.entries(entries)) this.data.set(key, sessionCopy(value));
      this.announce(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { newValue: sessionCopy(v) }])));
    });
  }

  remove(keys: string | string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : keys;
    return this.run(`remove ${list.join(',')}`, () => {
      for (const key of list) this.data.delete(key);
      this.announce(Object.fromEntries(list.map((k) => [k, {}])));
    });
  }

  /** A change made by another extension context (a page writing storage.session itself). */
  writeFromElsewhere(key: string, value: unknown): void {
    this.data.set(key, sessionCopy(value));
    this.announce({ [key]: { newValue: sessionCopy(value) } });
  }

  /** Lets every call made so far answer, and the change events after them arrive. */
  async settle(): Promise<void> {
    await this.tail;
    await new Promise((r) => setTimeout(r, 5));
  }

  private run<T>(call: string, op: () => T): Promise<T> {
    this.calls.push(call);
    const result = this.tail.then(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return op();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private announce(changes: Record<string, { newValue?: unknown }>): void {
    setTimeout(() => {
      for (const listener of this.listeners) listener(changes, 'session');
    }, 2);
  }
}

function setup() {
  const area = new FakeSessionArea();
  return { area, store: new BrowserSessionStore(area, area) };
}

const gets = (area: FakeSessionArea) => area.calls.filter((c) => c.startsWith('get'));

describe('BrowserSessionStore', () => {
  it('asks the browser for a key once, then answers from its copy', async () => {
    const { area, store } = setup();
    area.data.set('vaultSecret', 'c2VjcmV0');
    expect(await store.get('vaultSecret')).toBe('c2VjcmV0');
    expect(await store.get('vaultSecret')).toBe('c2VjcmV0');
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
    expect(gets(area)).toEqual(['get vaultSecret', 'get missing']);
  });

  it('answers a read after a write from the write, and keeps the copy when the browser announces that same write', async () => {
    const { area, store } = setup();
    await store.set({ 'approvals:index': [{ id: 'a', windowId: null }] });
    await area.settle();
    expect(await store.get('approvals:index')).toEqual([{ id: 'a', windowId: null }]);
    expect(gets(area)).toEqual([]);
    // As the browser would answer: keys sorted, nothing undefined.
    expect(JSON.stringify(await store.get('approvals:index'))).toBe(JSON.stringify((await area.get('approvals:index'))['approvals:index']));
  });

  it('gives copies: changing what was written or what was read does not change the next read', async () => {
    const { store } = setup();
    const index = [{ id: 'a', shown: false }];
    await store.set({ 'approvals:index': index });
    index[0]!.shown = true;
    const read = (await store.get<{ id: string; shown: boolean }[]>('approvals:index'))!;
    read.push({ id: 'b', shown: false });
    expect(await store.get('approvals:index')).toEqual([{ id: 'a', shown: false }]);
  });

  it('drops its copy when the key changes elsewhere, and reads the new value from the browser', async () => {
    const { area, store } = setup();
    await store.set({ replies: { r1: { reply: null } } });
    area.writeFromElsewhere('replies', { r1: { reply: 'changed' } });
    await area.settle();
    expect(await store.get('replies')).toEqual({ r1: { reply: 'changed' } });
    expect(gets(area)).toEqual(['get replies']);
  });

  it('does not keep what a read brought back when a write overtook it', async () => {
    const { area, store } = setup();
    area.data.set('approvals:index', ['old']);
    const read = store.get('approvals:index');
    const write = store.set({ 'approvals:index': ['new'] });
    expect(await read).toEqual(['old']); // asked before the write: the browser's answer
    await write;
    expect(await store.get('approvals:index')).toEqual(['new']);
    await area.settle();
    expect(await store.get('approvals:index')).toEqual(['new']);
  });

  it('sees a write as soon as it is made, as a read sent after it would in the browser', async () => {
    const { store } = setup();
    const write = store.set({ vaultSecret: 'k1' });
    expect(await store.get('vaultSecret')).toBe('k1');
    await write;
  });

  it('forgets a write the browser refused, so the next read gives what the browser holds', async () => {
    const { area, store } = setup();
    area.data.set('replies', { kept: 1 });
    expect(await store.get('replies')).toEqual({ kept: 1 });
    area.failNextSet = true;
    await expect(store.set({ replies: { kept: 1, lost: 2 } })).rejects.toThrow(/quota/);
    expect(await store.get('replies')).toEqual({ kept: 1 });
    expect(gets(area)).toEqual(['get replies', 'get replies']);
  });

  it('after a remove, reads the key from the browser again and finds it gone', async () => {
    const { area, store } = setup();
    await store.set({ 'approval:a': { id: 'a' }, vaultSecret: 's' });
    await store.remove(['approval:a', 'vaultSecret']);
    expect(await store.get('approval:a')).toBeUndefined();
    expect(await store.get('vaultSecret')).toBeUndefined();
    await area.settle();
    expect(await store.get('vaultSecret')).toBeUndefined();
    expect(gets(area)).toEqual(['get approval:a', 'get vaultSecret']);
  });

  it('ignores changes of other storage areas', async () => {
    const area = new FakeSessionArea();
    let listener: Listener | undefined;
    const store = new BrowserSessionStore(area, { addListener: (l) => (listener = l) });
    await store.set({ vaultSecret: 's' });
    listener?.({ vaultSecret: { newValue: 'other' } }, 'local');
    expect(await store.get('vaultSecret')).toBe('s');
    expect(gets(area)).toEqual([]);
  });
});
