import { CompactEncrypt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, issueJwtVc } from '../../../test/support/issuers.ts';
import { MemoryAnchorChain } from '../../../test/support/memory-chain.ts';
import { makeTestPorts } from '../../../test/support/test-ports.ts';
import { TEST_PASSWORD, WalletDriver } from '../../../test/support/wallet-driver.ts';
import { Wallet } from '../wallet/wallet.ts';
import { utf8 } from '../encoding.ts';
import type { StoreSnapshot } from '../ports.ts';
import { DomainError } from '../errors.ts';
import { FREE_ATTEMPTS, delayAfterFailures } from '../vault/unlock-throttle.ts';
import { VAULT_HEADER_KEY, type VaultHeader } from '../vault/vault.ts';
import { openBackup } from './backup-jwe.ts';

const SITE = 'http://127.0.0.1:8080';
const OTHER = 'http://127.0.0.2:8080';
const PASSPHRASE = 'backup passphrase 1';
const NEW_PASSWORD = 'new wallet password';

/** A wallet with a login (pairwise DID, identity grant) and a credential, and its export. */
async function populated() {
  const driver = await WalletDriver.created();
  const { did } = await driver.login(SITE);
  const issuer = await createTestIssuer();
  const credential = await issueJwtVc(issuer, { subjectDid: did, types: ['LibraryCard'], claims: { member: 'A-1' } });
  const credentialId = await driver.keepOffer(SITE, credential);
  return { driver, did, credentialId };
}

const withoutHeader = (snapshot: StoreSnapshot) => ({ ...snapshot, meta: snapshot.meta.filter(([key]) => key !== VAULT_HEADER_KEY) });

let source: Awaited<ReturnType<typeof populated>>;
let file: string;
let beforeExport: StoreSnapshot;

beforeAll(async () => {
  source = await populated();
  beforeExport = await source.driver.ports.store.snapshot();
  const exported = await source.driver.wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE });
  file = exported.jwe;
  expect(exported.fileName).toMatch(/^tessera-backup-\d{4}-\d{2}-\d{2}\.jwe$/);
}, 30_000);

describe('backup export', () => {
  it('holds every record as it rested and the vault secret, but not the vault header', async () => {
    const plaintext = await openBackup(file, PASSPHRASE);
    const end = plaintext.indexOf(0x0a);
    const header = JSON.parse(new TextDecoder().decode(plaintext.subarray(0, end))) as { format: string; version: number; bodyBytes: number };
    expect(header).toMatchObject({ format: 'tessera-backup', version: 1 });
    const body = new TextDecoder().decode(plaintext.subarray(end + 1, end + 1 + header.bodyBytes));
    expect(body).not.toContain('"vault"');
    expect(new TextDecoder().decode(plaintext)).not.toContain('A-1'); // records stay sealed inside
    const restored = await WalletDriver.created().then(async (fresh) => {
      await fresh.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: true });
      return fresh.ports.store.snapshot();
    });
    // Byte for byte: every record that was there before the export is there after the restore.
    for (const [collection, entries] of Object.entries(withoutHeader(beforeExport))) {
      const after = new Map(restored[collection as keyof StoreSnapshot]);
      for (const [key, value] of entries) {
        if (collection === 'ledgerMeta' || (collection === 'meta' && key !== 'settings')) continue; // the head moves on by one entry
        expect(after.get(key), `${collection}/${key}`).toEqual(value);
      }
    }
  }, 30_000);

  it('records wallet.backedUp in the activity log, which still verifies, and clears the reminder', async () => {
    const { wallet } = source.driver;
    const page = await wallet.activity.list({ offset: 0, limit: 1 });
    expect(page.entries[0]?.kind).toBe('wallet.backedUp');
    expect(await wallet.activity.verify()).toMatchObject({ ok: true });
    expect(await wallet.backup.status()).toMatchObject({ reminder: false, keysSinceBackup: 0, keyCount: 1 });
  });

  it('refuses a passphrase shorter than the wallet password rules allow', async () => {
    await expect(source.driver.wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: 'short' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('backup export asks for the wallet password', () => {
  it('refuses a wrong one: no file, nothing logged, the reminder stays, the attempt counted like an unlock', async () => {
    const { driver } = await populated();
    const before = await driver.ports.store.snapshot();
    const wrong = driver.wallet.backup.exportBackup({ password: 'not the password', passphrase: PASSPHRASE });
    await expect(wrong).rejects.toMatchObject({ code: 'wrong_password', message: 'Wrong wallet password; nothing was exported.' });
    expect(await driver.wallet.backup.status()).toMatchObject({ lastBackupAt: null, reminder: true });
    const page = await driver.wallet.activity.list({ offset: 0, limit: 50 });
    expect(page.entries.map((entry) => entry.kind)).not.toContain('wallet.backedUp');
    // Only the vault header (its failed-attempt counter) changed.
    const after = await driver.ports.store.snapshot();
    expect(withoutHeader(after)).toEqual(withoutHeader(before));
    expect(((await driver.ports.store.get('meta', VAULT_HEADER_KEY)) as VaultHeader).failedUnlocks?.count).toBe(1);
  }, 30_000);

  it('is throttled with the unlock counter: wrong exports and unlocks add up, and even the right password waits', async () => {
    const { driver } = await populated();
    const { wallet } = driver;
    const guesses = Array.from({ length: FREE_ATTEMPTS }, (_, i) => wallet.backup.exportBackup({ password: `guess ${i}`, passphrase: PASSPHRASE }).catch((e: DomainError) => e.code));
    expect(await Promise.all(guesses)).toEqual(Array(FREE_ATTEMPTS).fill('wrong_password'));
    const wait = await wallet.vault.retryAfterMs();
    expect(wait).toBe(delayAfterFailures(FREE_ATTEMPTS));
    await expect(wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'throttled' });
    await wallet.locking.lock();
    await expect(wallet.locking.unlock(TEST_PASSWORD)).rejects.toMatchObject({ code: 'throttled' });
    driver.ports.clock.now += wait;
    await wallet.locking.unlock(TEST_PASSWORD);
    expect((await wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE })).jwe).toBeTruthy();
    expect(await wallet.vault.retryAfterMs()).toBe(0);
  }, 30_000);

  it('refuses while locked before the password is tried (nothing counted)', async () => {
    const { driver } = await populated();
    await driver.wallet.locking.lock();
    await expect(driver.wallet.backup.exportBackup({ password: 'not the password', passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'locked' });
    expect(await driver.wallet.vault.retryAfterMs()).toBe(0);
    expect(await driver.wallet.locking.unlock(TEST_PASSWORD)).toMatchObject({ unlocked: true });
  }, 30_000);
});

describe('backup restore on a fresh profile', () => {
  it('brings back the same pairwise DID (silent login), the grant, the credential and a ledger that verifies', async () => {
    const fresh = new WalletDriver();
    await fresh.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: false });
    const { wallet, ports } = fresh;
    expect(await wallet.locking.state()).toMatchObject({ initialized: true, unlocked: true });
    const opened = ports.presenter.opened.length;
    const again = await wallet.identity.request(SITE, fresh.requestId(), { nonce: 'after-restore-1' });
    expect(again.did).toBe(source.did);
    expect(ports.presenter.opened.length).toBe(opened);
    expect((await wallet.grants.listForHolder()).map((g) => g.requester.origin)).toEqual([SITE]);
    const { holdings } = await wallet.credentials();
    expect((await holdings.list()).map((c) => c.id)).toEqual([source.credentialId]);
    const verified = await wallet.activity.verify();
    expect(verified).toMatchObject({ ok: true });
    const kinds = (await wallet.activity.list({ offset: 0, limit: 500 })).entries.map((e) => e.kind);
    expect(kinds).toContain('wallet.restored');
    expect(kinds.at(-1)).toBe('wallet.created');
    expect(await wallet.backup.status()).toMatchObject({ reminder: false, keyCount: 1 });
    // The new password unlocks it from now on.
    await wallet.locking.lock();
    await expect(wallet.locking.unlock(TEST_PASSWORD)).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await wallet.locking.unlock(NEW_PASSWORD)).toMatchObject({ unlocked: true });
  }, 30_000);

  it('wrong passphrase, damaged file, truncated file, p2c 1000: clear errors and nothing stored', async () => {
    const fresh = new WalletDriver();
    const empty = await fresh.ports.store.snapshot();
    const restore = (f: string, passphrase = PASSPHRASE) => fresh.wallet.backup.restore({ file: f, passphrase, newPassword: NEW_PASSWORD, overwrite: false });
    await expect(restore(file, 'not the passphrase')).rejects.toMatchObject({ code: 'wrong_password', message: 'Wrong backup passphrase.' });
    const parts = file.split('.');
    const ct = parts[3]!;
    parts[3] = ct.slice(0, 100) + (ct[100] === 'A' ? 'B' : 'A') + ct.slice(101);
    await expect(restore(parts.join('.'))).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/damaged/) });
    await expect(restore(file.slice(0, Math.floor(file.length / 2)))).rejects.toMatchObject({ code: 'invalid_input' });
    const weak = await new CompactEncrypt(utf8('{}')).setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM' }).setKeyManagementParameters({ p2c: 1000 }).encrypt(utf8(PASSPHRASE));
    await expect(restore(weak)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/p2c 1000/) });
    await expect(restore('not a file at all')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await fresh.ports.store.snapshot()).toEqual(empty);
    expect(await fresh.wallet.locking.state()).toMatchObject({ initialized: false });
  }, 30_000);

  it('refuses a file that decrypts but is not a wallet backup', async () => {
    const fresh = new WalletDriver();
    const other = await new CompactEncrypt(utf8('{"format":"something-else"}'))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM' })
      .setKeyManagementParameters({ p2c: 600_000 })
      .encrypt(utf8(PASSPHRASE));
    await expect(fresh.wallet.backup.restore({ file: other, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: false })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/not a Tessera backup/),
    });
    expect(await fresh.wallet.locking.state()).toMatchObject({ initialized: false });
  }, 30_000);
});

describe('backup restore over an existing wallet', () => {
  it('is refused unless confirmed, then replaces everything (no record of the old wallet left)', async () => {
    const here = await WalletDriver.created();
    await here.login(OTHER);
    const before = await here.ports.store.snapshot();
    await expect(here.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: false })).rejects.toMatchObject({
      code: 'already_initialized',
    });
    expect(await here.ports.store.snapshot()).toEqual(before);
    expect(await here.wallet.locking.state()).toMatchObject({ unlocked: true });

    const result = await here.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: true });
    expect(result.replaced).toBe(true);
    const after = await here.ports.store.snapshot();
    const restoredKeys = (c: keyof StoreSnapshot) => new Set(after[c].map(([k]) => k));
    for (const [key] of before.pairwise) expect(restoredKeys('pairwise').has(key)).toBe(false);
    expect(after.privateKeys.map(([k]) => k).sort()).toEqual(beforeExport.privateKeys.map(([k]) => k).sort());
    expect((await here.wallet.grants.listForHolder()).map((g) => g.requester.origin)).toEqual([SITE]);
    expect(await here.wallet.activity.verify()).toMatchObject({ ok: true });
  }, 30_000);

  it('does not interleave with a commit: a login being written when the restore starts leaves nothing of the old wallet', async () => {
    const here = await WalletDriver.created();
    await here.login(OTHER);
    // Hold the next login's transaction (its ledger entry under the old keys) until the restore is done or waits.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held: () => void = () => {};
    const reached = new Promise<void>((resolve) => (held = resolve));
    const write = here.ports.store.write.bind(here.ports.store);
    here.ports.store.write = async (ops) => {
      if (ops.length < 20 && ops.some((op) => op.collection === 'ledger')) {
        held();
        await gate;
      }
      return write(ops);
    };
    const login = here.wallet.identity.request(OTHER, here.requestId(), { nonce: 'during-restore-1' });
    await reached;
    const restore = here.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: true });
    await Promise.race([restore, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    release();
    await login;
    await restore;
    here.ports.store.write = write;
    expect(await here.wallet.activity.verify()).toMatchObject({ ok: true });
    expect((await here.wallet.grants.listForHolder()).map((g) => g.requester.origin)).toEqual([SITE]);
  }, 30_000);

  it('is atomic: a write that fails leaves the previous wallet as it was, still opening with its password', async () => {
    const here = await WalletDriver.created();
    await here.login(OTHER);
    const before = await here.ports.store.snapshot();
    const write = here.ports.store.write.bind(here.ports.store);
    here.ports.store.write = async (ops) => {
      if (ops.length > 20) throw new Error('worker stopped mid-restore');
      return write(ops);
    };
    await expect(here.wallet.backup.restore({ file, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: true })).rejects.toThrow(/mid-restore/);
    here.ports.store.write = write;
    expect(withoutHeader(await here.ports.store.snapshot())).toEqual(withoutHeader(before));
    expect(await here.wallet.locking.unlock(TEST_PASSWORD)).toMatchObject({ unlocked: true });
    expect((await here.wallet.grants.listForHolder()).map((g) => g.requester.origin)).toEqual([OTHER]);
  }, 30_000);
});

describe('backup restore with anchoring on', () => {
  it('sets the anchoring period alarm on the new profile as the restored settings say', async () => {
    const chain = new MemoryAnchorChain();
    const from = await WalletDriver.created();
    from.ports.chain = chain;
    const wallet = new Wallet(from.ports);
    await wallet.locking.unlock(TEST_PASSWORD);
    await wallet.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, everyEntries: 16, everyMinutes: 45 });
    const { jwe } = await wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE });
    const ports = makeTestPorts();
    ports.chain = chain;
    const fresh = new Wallet(ports);
    await fresh.backup.restore({ file: jwe, passphrase: PASSPHRASE, newPassword: NEW_PASSWORD, overwrite: false });
    expect(ports.scheduler.periodic.get('anchoring')).toBe(45);
    expect((await fresh.anchoring.view()).settings).toMatchObject({ enabled: true, everyMinutes: 45 });
    expect(await fresh.backup.status()).toMatchObject({ reminder: false });
  }, 30_000);

  it('counts the anchoring account as a key: turned on after the last backup, the reminder shows', async () => {
    const chain = new MemoryAnchorChain();
    const ports = makeTestPorts();
    ports.chain = chain;
    const wallet = new Wallet(ports);
    await wallet.locking.create(TEST_PASSWORD);
    await wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE });
    expect(await wallet.backup.status()).toMatchObject({ reminder: false, keyCount: 0 });
    await wallet.anchoring.save({ enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, everyEntries: 16, everyMinutes: 60 });
    expect(await wallet.backup.status()).toMatchObject({ reminder: true, keyCount: 1, keysSinceBackup: 1 });
    await wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE });
    expect(await wallet.backup.status()).toMatchObject({ reminder: false, keyCount: 1 });
  }, 30_000);
});

describe('backup reminder', () => {
  it('appears when a key no backup holds exists, and goes after an export', async () => {
    const driver = await WalletDriver.created();
    expect(await driver.wallet.backup.status()).toMatchObject({ lastBackupAt: null, keyCount: 0, reminder: false });
    await driver.login(SITE);
    expect(await driver.wallet.backup.status()).toMatchObject({ lastBackupAt: null, keyCount: 1, keysSinceBackup: 1, reminder: true });
    await driver.wallet.backup.exportBackup({ password: TEST_PASSWORD, passphrase: PASSPHRASE });
    const status = await driver.wallet.backup.status();
    expect(status).toMatchObject({ keyCount: 1, reminder: false });
    expect(status.lastBackupAt).not.toBeNull();
    // A login to the same site makes no new key; one to another site does.
    await driver.wallet.identity.request(SITE, driver.requestId(), { nonce: 'again-0001' });
    expect(await driver.wallet.backup.status()).toMatchObject({ reminder: false });
    await driver.login(OTHER);
    expect(await driver.wallet.backup.status()).toMatchObject({ keyCount: 2, keysSinceBackup: 1, reminder: true });
  }, 30_000);
});
