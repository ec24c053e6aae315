import { describe, expect, it } from 'vitest';
import { loadAskedEarly } from './early-load.ts';

function setup() {
  let sent = 0;
  const listeners = new Set<() => void>();
  const load = loadAskedEarly(
    async () => `answer ${++sent}`,
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  );
  return { load, sent: () => sent, push: () => [...listeners].forEach((l) => l()), listeners };
}

describe('loadAskedEarly', () => {
  it('asks at once, and the first call takes that answer without asking again', async () => {
    const { load, sent, listeners } = setup();
    expect(sent()).toBe(1);
    expect(await load()).toBe('answer 1');
    expect(sent()).toBe(1);
    expect(listeners.size).toBe(0);
  });

  it('asks again on every later call', async () => {
    const { load, sent } = setup();
    await load();
    expect(await load()).toBe('answer 2');
    expect(await load()).toBe('answer 3');
    expect(sent()).toBe(3);
  });

  it('a change pushed before the first call makes that call ask again', async () => {
    const { load, sent, push, listeners } = setup();
    push();
    expect(listeners.size).toBe(0);
    expect(await load()).toBe('answer 2');
    expect(sent()).toBe(2);
  });

  it('an early answer that failed is handed to the first call, not thrown unhandled', async () => {
    let sent = 0;
    const load = loadAskedEarly(
      () => (++sent === 1 ? Promise.reject(new Error('worker gone')) : Promise.resolve('ok')),
      () => () => undefined,
    );
    await new Promise((r) => setTimeout(r, 0));
    await expect(load()).rejects.toThrow('worker gone');
    expect(await load()).toBe('ok');
  });
});
