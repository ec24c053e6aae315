import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import { DomainError } from '../errors.ts';
import { KDF_MIN_ITERATIONS } from './kdf.ts';
import { Vault, type VaultHeader } from './vault.ts';
import { FREE_ATTEMPTS, delayAfterFailures } from './unlock-throttle.ts';

const PASSWORD = 'correct horse battery';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
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

  it('serialises parallel wrong guesses: each counts and none skips the wait', async () => {
    const { vault, header } = setup();
    await vault.create(PASSWORD);
    const guesses = Array.from({ length: FREE_ATTEMPTS + 2 }, (_, i) => codeOf(vault.unlock(`guess ${i}`)));
    const results = (await Promise.all(guesses)).map((r) => r.split(':')[0]);
    expect(results).toEqual([...Array(FREE_ATTEMPTS).fill('wrong_password'), 'throttled', 'throttled']);
    expect((await header()).failedUnlocks?.count).toBe(FREE_ATTEMPTS);
    expect(await vault.retryAfterMs()).toBe(delayAfterFailures(FREE_ATTEMPTS));
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^throttled/);
  });

  it('books an attempt before deriving the key, so a guess cut short still counts', async () => {
    const { vault, header } = setup();
    await vault.create(PASSWORD);
    let settled = false;
    const guess = codeOf(vault.unlock('wrong password')).finally(() => (settled = true));
    while ((await header()).failedUnlocks?.count !== 1) await new Promise((r) => setTimeout(r, 1));
    // The 600,000-iteration derivation is still running: a worker stopped now leaves the count.
    expect(settled).toBe(false);
    expect(await guess).toMatch(/^wrong_password/);
    expect((await header()).failedUnlocks?.count).toBe(1);
  });

  it('clears the count with the right password, also right after parallel wrong ones', async () => {
    const { vault, header } = setup();
    await vault.create(PASSWORD);
    const [wrong, right] = await Promise.all([codeOf(vault.unlock('wrong password')), codeOf(vault.unlock(PASSWORD))]);
    expect([wrong, right]).toEqual(['wrong_password: Wrong password.', 'resolved']);
    expect((await header()).failedUnlocks).toBeUndefined();
    expect(await vault.retryAfterMs()).toBe(0);
  });

  it('throttles changing the password exactly like unlocking, with the same counter', async () => {
    const { vault, clock, header } = setup();
    await vault.create(PASSWORD);
    const guesses = Array.from({ length: FREE_ATTEMPTS }, (_, i) => codeOf(vault.changePassword(`guess ${i}`, 'new password 1')));
    expect(await Promise.all(guesses)).toEqual(Array(FREE_ATTEMPTS).fill('wrong_password: The current password is wrong.'));
    expect((await header()).failedUnlocks?.count).toBe(FREE_ATTEMPTS);
    const wait = delayAfterFailures(FREE_ATTEMPTS);
    expect(await codeOf(vault.changePassword(PASSWORD, 'new password 1'))).toMatch(/^throttled/);
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^throttled/);
    clock.advance(wait);
    await vault.changePassword(PASSWORD, 'new password 1');
    expect((await header()).failedUnlocks).toBeUndefined();
    await vault.unlock('new password 1');
  });

  it('verifies the password while unlocked with the same counter and delay as unlocking', async () => {
    const { vault, clock, header } = setup();
    await vault.create(PASSWORD);
    const guesses = Array.from({ length: FREE_ATTEMPTS + 1 }, (_, i) => codeOf(vault.verifyPassword(`guess ${i}`, 'Wrong wallet password.')));
    expect(await Promise.all(guesses)).toEqual([...Array(FREE_ATTEMPTS).fill('wrong_password: Wrong wallet password.'), expect.stringMatching(/^throttled/)]);
    expect((await header()).failedUnlocks?.count).toBe(FREE_ATTEMPTS);
    expect(await codeOf(vault.unlock(PASSWORD))).toMatch(/^throttled/);
    expect(await codeOf(vault.verifyPassword(PASSWORD, 'Wrong wallet password.'))).toMatch(/^throttled/);
    clock.advance(delayAfterFailures(FREE_ATTEMPTS));
    expect(await codeOf(vault.verifyPassword(PASSWORD, 'Wrong wallet password.'))).toBe('resolved');
    expect((await header()).failedUnlocks).toBeUndefined();
  });

  it('lets only one of two concurrent creates write the header; the first wallet stays usable', async () => {
    const { vault, store } = setup();
    // A second Vault over the same storage shares the lock too.
    const other = new Vault({ store });
    const [first, second] = await Promise.allSettled([vault.create(PASSWORD), other.create('another password')]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && second.reason instanceof DomainError && second.reason.code).toBe('already_initialized');
    expect(await codeOf(vault.unlock('another password'))).toMatch(/^wrong_password/);
    const unlocked = await vault.unlock(PASSWORD);
    const created = first.status === 'fulfilled' ? first.value : undefined;
    expect(Buffer.from(unlocked.secret).equals(Buffer.from(created?.secret ?? new Uint8Array()))).toBe(true);
  });
});
