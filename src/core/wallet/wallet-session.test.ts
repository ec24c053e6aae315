import { describe, expect, it, vi } from 'vitest';
import { makeTestPorts } from '../../../test/support/test-ports.ts';
import { randomBytes } from '../encoding.ts';
import { deriveVaultKeys, VAULT_SECRET_BYTES } from '../vault/vault-keys.ts';
import { WalletSession } from './wallet-session.ts';

async function unlockedSession() {
  const ports = makeTestPorts();
  const session = new WalletSession(ports);
  const keys = await deriveVaultKeys(randomBytes(VAULT_SECRET_BYTES));
  await session.open(keys);
  return { ports, session, keys };
}

describe('WalletSession', () => {
  it('after a worker restart, calls made at once share one wallet and derive its keys once', async () => {
    const { ports } = await unlockedSession();
    const restarted = new WalletSession(ports); // a new worker: the secret is only in storage.session
    const derive = vi.spyOn(crypto.subtle, 'deriveKey');
    try {
      const [a, b, c] = await Promise.all([restarted.current(), restarted.current(), restarted.current()]);
      expect(a).not.toBeNull();
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(await restarted.current()).toBe(a);
      // The record key and the index key, once.
      expect(derive).toHaveBeenCalledTimes(2);
    } finally {
      derive.mockRestore();
    }
  });

  it('a lock while the secret is being read wins: the call answers locked', async () => {
    const { ports } = await unlockedSession();
    const restarted = new WalletSession(ports);
    const reading = restarted.current();
    await restarted.close();
    expect(await reading).toBeNull();
    expect(await restarted.current()).toBeNull();
  });

  it('a lock while the keys are being derived wins over the wallet built meanwhile', async () => {
    const { ports } = await unlockedSession();
    const restarted = new WalletSession(ports);
    const derive = vi.spyOn(crypto.subtle, 'deriveKey');
    try {
      const building = restarted.current();
      await vi.waitFor(() => expect(derive).toHaveBeenCalled());
      await restarted.close();
      await building;
      expect(await restarted.current()).toBeNull();
    } finally {
      derive.mockRestore();
    }
  });

  it('a new unlock replaces the wallet of the old secret', async () => {
    const { session, keys } = await unlockedSession();
    const before = await session.current();
    expect(before?.keys.secret).toEqual(keys.secret);
    const next = await deriveVaultKeys(randomBytes(VAULT_SECRET_BYTES));
    const opened = await session.open(next);
    expect(await session.current()).toBe(opened);
    expect(opened).not.toBe(before);
  });
});
