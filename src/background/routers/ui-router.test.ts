import { beforeEach, describe, expect, it } from 'vitest';
import { makeTestPorts } from '../../../test/support/test-ports.ts';
import { Wallet } from '../../core/wallet/wallet.ts';
import { routeUiMessage } from './ui-router.ts';

let wallet: Wallet;

beforeEach(() => {
  wallet = new Wallet(makeTestPorts());
});

describe('UI router (trusted tier)', () => {
  it('creates, locks and unlocks a wallet', async () => {
    expect(await routeUiMessage(wallet, { command: 'getState' })).toMatchObject({ ok: true, value: { initialized: false } });
    expect(await routeUiMessage(wallet, { command: 'createWallet', password: 'correct horse' })).toMatchObject({
      ok: true,
      value: { initialized: true, unlocked: true, autoLockMinutes: 15 },
    });
    expect(await routeUiMessage(wallet, { command: 'lock' })).toMatchObject({ ok: true, value: { unlocked: false } });
    expect(await routeUiMessage(wallet, { command: 'unlock', password: 'wrong one' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_password', message: 'Wrong password.' },
    });
    expect(await routeUiMessage(wallet, { command: 'unlock', password: 'correct horse' })).toMatchObject({ ok: true, value: { unlocked: true } });
  });

  it.each([
    ['an unknown command', { command: 'exportKeys' }, /command/],
    ['a short new password', { command: 'createWallet', password: 'short' }, /^password: must be at least 8 characters/],
    ['auto-lock of zero minutes', { command: 'setAutoLock', minutes: 0 }, /^minutes: must be at least 1/],
    ['auto-lock fractional', { command: 'setAutoLock', minutes: 1.5 }, /^minutes: must be a whole number/],
    ['a bad decision', { command: 'resolveApproval', approvalId: 'abcdefgh12', decision: 'maybe' }, /^decision/],
    ['an extra field', { command: 'lock', force: true }, /force/],
    ['a short backup passphrase', { command: 'exportBackup', password: 'correct horse', passphrase: 'short' }, /^passphrase: must be at least 8 characters/],
    ['an export without the wallet password', { command: 'exportBackup', passphrase: 'long enough' }, /^password/],
    ['an export with an empty wallet password', { command: 'exportBackup', password: '', passphrase: 'long enough' }, /^password: must not be empty/],
    ['a restore without the overwrite answer', { command: 'restoreBackup', file: 'a.b.c.d.e', passphrase: 'x', newPassword: 'long enough' }, /^overwrite/],
    ['a restore with a short new password', { command: 'restoreBackup', file: 'a.b.c.d.e', passphrase: 'x', newPassword: 'short', overwrite: false }, /^newPassword/],
  ])('refuses %s with invalid_input, changing nothing', async (_label, body, message) => {
    const reply = await routeUiMessage(wallet, body);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_input');
      expect(reply.error.message).toMatch(message);
    }
    expect(await wallet.vault.isInitialized()).toBe(false);
  });

  it('exports a backup only with the right wallet password', async () => {
    await routeUiMessage(wallet, { command: 'createWallet', password: 'correct horse' });
    expect(await routeUiMessage(wallet, { command: 'exportBackup', password: 'wrong one', passphrase: 'long enough' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_password', message: 'Wrong wallet password; nothing was exported.' },
    });
    expect(await routeUiMessage(wallet, { command: 'getBackupStatus' })).toMatchObject({ ok: true, value: { lastBackupAt: null } });
    expect(await routeUiMessage(wallet, { command: 'exportBackup', password: 'correct horse', passphrase: 'long enough' })).toMatchObject({
      ok: true,
      value: { fileName: expect.stringMatching(/^tessera-backup-/) },
    });
  }, 30_000);

  it('says locked for holder commands while locked', async () => {
    await routeUiMessage(wallet, { command: 'createWallet', password: 'correct horse' });
    await routeUiMessage(wallet, { command: 'lock' });
    expect(await routeUiMessage(wallet, { command: 'listGrants' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await routeUiMessage(wallet, { command: 'revokeGrant', grantId: 'abcdefgh12' })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('answers not_found for an unknown grant or approval', async () => {
    await routeUiMessage(wallet, { command: 'createWallet', password: 'correct horse' });
    expect(await routeUiMessage(wallet, { command: 'revokeGrant', grantId: 'abcdefgh12' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await routeUiMessage(wallet, { command: 'resolveApproval', approvalId: 'abcdefgh12', decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await routeUiMessage(wallet, { command: 'getApproval', approvalId: 'abcdefgh12' })).toEqual({ ok: true, value: { state: 'settled' } });
  });
});
