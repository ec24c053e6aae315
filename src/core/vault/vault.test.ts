import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import { CoreError } from '../errors.ts';
import { KDF_MIN_ITERATIONS } from './kdf.ts';
import { Vault, type VaultHeader } from './vault.ts';
import { FREE_ATTEMPTS, delayAfterFailures } from './unlock-throttle.ts';

const PASSWORD = 'correct horse battery';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'resolved';
}

function setup() {
  const store = new MemoryKeyValueStore();
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const vault = new Vault({ store, now: () => now });
  const header = async () => (await store.get('meta', 'vault')) as VaultHeader;
  const setHeader = (h: VaultHeader) => store.write([{ type: 'put', collection: 'meta', key: 'vault', value: h }]);
  return { store, vault, clock, header, setHeader };
}

describe('Vault', () => {
  it('creates a vault whose header holds no secret, and unlocks it with the same secret', async () => {
    const { vault, header } = setup();
    expect(await vault.isInitialized()).toBe(false);
    const created = await vault.create(PASSWORD);
    const stored = await header();
    expect(stored.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    expect(stored.kdf.name).toBe('PBKDF2-SHA-256');
    expect(Buffer.from(stored.wrapped.ct).includes(Buffer.from(created.secret))).toBe(false);
    const unlocked = await vault.unlock(PASSWORD);
    expect(Buffer.from(unlocked.secret).equals(Buffer.from(created.secret))).toBe(true);
  });

  it('refuses a second create', async () => {
    const { vault } = setup();
    await vault.create(PASSWORD);
    expect(await codeOf(vault.create('another password'))).toMatch(/^already_initialized/);
  });

  it('says not_initialized before a wallet exists', async () => {
    expect(await codeOf(setup().vault.unlock(PASSWORD))).toMatch(/^not_initialized/);
  });

  it('rejects a wrong password with a clear error, then throttles with a growing delay', async () => {
    const { vault, clock } = setup();
    await vault.create(PASSWORD);
    for (let i = 1; i < FREE_ATTEMPTS; i++) {
      expect(await codeOf(vault.unlock('wrong password'))).toBe('wrong_password: Wrong password.');
    }
    expect(await vault.retryAfterMs()).toBe(0);
    expect(await codeOf(vault.unlock('wrong password'))).toMatch(/^wrong_password/);
    const firstDelay = await vault.retryAfterMs();
    expect(firstDelay).toBe(delayAfterFailures(FREE_ATTEMPTS));
    // Even the right password waits out the delay.
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^throttled: Too many wrong passwords/);
    clock.advance(firstDelay);
    expect(await codeOf(vault.unlock('wrong password'))).toMatch(/^wrong_password/);
    expect(await vault.retryAfterMs()).toBe(2 * firstDelay);
    clock.advance(2 * firstDelay);
    await vault.unlock(PASSWORD);
    expect(await vault.retryAfterMs()).toBe(0);
  });

  it('refuses a tampered wrapped key and changes nothing', async () => {
    const { vault, header, setHeader } = setup();
    await vault.create(PASSWORD);
    const h = await header();
    const ct = new Uint8Array(h.wrapped.ct);
    ct[0] = (ct[0] ?? 0) ^ 0xff;
    await setHeader({ ...h, wrapped: { ...h.wrapped, ct } });
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^wrong_password/);
    await setHeader({ ...h, wrapped: { ...h.wrapped, ct: ct.slice(0, 10) } });
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^internal: The vault header is not acceptable: malformed wrapped key/);
  });

  it.each([
    ['iterations below the minimum', { iterations: KDF_MIN_ITERATIONS - 1 }, /below the minimum 600000/],
    ['absurd iterations', { iterations: 1e12 }, /above the maximum/],
    ['fractional iterations', { iterations: 600_000.5 }, /not an integer/],
    ['a short salt', { salt: new Uint8Array(8) }, /salt length 8/],
    ['another KDF', { name: 'scrypt' }, /unsupported KDF 'scrypt'/],
  ])('refuses weak or malformed KDF parameters: %s', async (_label, change, message) => {
    const { vault, header, setHeader } = setup();
    await vault.create(PASSWORD);
    const h = await header();
    await setHeader({ ...h, kdf: { ...h.kdf, ...change } as VaultHeader['kdf'] });
    const result = await codeOf(vault.unlock(PASSWORD));
    expect(result).toMatch(/^internal: The vault header is not acceptable/);
    expect(result).toMatch(message);
  });

  it('changes the password without changing the vault secret', async () => {
    const { vault } = setup();
    const created = await vault.create(PASSWORD);
    expect(await codeOf(vault.changePassword('not it', 'new password 1'))).toMatch(/^wrong_password/);
    await vault.changePassword(PASSWORD, 'new password 1');
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^wrong_password/);
    const unlocked = await vault.unlock('new password 1');
    expect(Buffer.from(unlocked.secret).equals(Buffer.from(created.secret))).toBe(true);
  });
});
