import * as v from 'valibot';
import { UiCommandSchema, type UiCommand, type UiReply } from '../../protocol/internal.ts';
import { CoreError } from '../../core/errors.ts';
import type { Wallet } from '../../core/wallet/wallet.ts';

/**
 * The trusted tier: the extension's own pages only (the caller checked the sender).
 * Each command is validated against the protocol schema before it reaches core.
 */
export async function routeUiMessage(wallet: Wallet, body: unknown): Promise<UiReply<unknown>> {
  const parsed = v.safeParse(UiCommandSchema, body, { abortPipeEarly: true });
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue);
    return { ok: false, error: { code: 'invalid_input', message: `${path ?? 'command'}: ${issue.message}` } };
  }
  try {
    return { ok: true, value: await runCommand(wallet, parsed.output) };
  } catch (error) {
    if (error instanceof CoreError) {
      return { ok: false, error: { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs } };
    }
    console.error('Tessera: command failed', parsed.output.command, error);
    return { ok: false, error: { code: 'internal', message: 'Internal wallet error.' } };
  }
}

async function runCommand(wallet: Wallet, command: UiCommand): Promise<unknown> {
  switch (command.command) {
    case 'getState':
      return wallet.state();
    case 'createWallet':
      return wallet.create(command.password);
    case 'unlock':
      return wallet.unlock(command.password);
    case 'lock':
      return wallet.lock();
    case 'changePassword':
      await wallet.changePassword(command.currentPassword, command.newPassword);
      return { changed: true };
    case 'setAutoLock':
      return wallet.setAutoLock(command.minutes);
    case 'getApproval':
      return wallet.getApproval(command.approvalId);
    case 'resolveApproval':
      await wallet.resolveApproval(command.approvalId, command.decision, command.selection);
      return { resolved: true };
    case 'listGrants':
      return wallet.listGrants();
    case 'revokeGrant':
      return wallet.revokeGrantAsHolder(command.grantId);
    default:
      return runCredentialCommand(wallet, command);
  }
}

type CredentialCommand = Extract<
  UiCommand,
  {
    command:
      | 'listCredentials'
      | 'getCredential'
      | 'deleteCredential'
      | 'importCredential'
      | 'refreshCredentialStatus'
      | 'listTrustedIssuers'
      | 'addTrustedIssuer'
      | 'removeTrustedIssuer';
  }
>;

async function runCredentialCommand(wallet: Wallet, command: CredentialCommand): Promise<unknown> {
  const unlocked = await wallet.session.require();
  await wallet.session.touch();
  const flows = await wallet.credentialFlows();
  switch (command.command) {
    case 'listCredentials':
      return flows.list(unlocked);
    case 'getCredential':
      return flows.detail(unlocked, command.credentialId);
    case 'deleteCredential':
      await flows.delete(unlocked, command.credentialId);
      return { deleted: true };
    case 'importCredential':
      return flows.importCredential(unlocked, command.credential);
    case 'refreshCredentialStatus':
      return flows.refreshStatus(unlocked, command.credentialId);
    case 'listTrustedIssuers':
      return unlocked.trust.list();
    case 'addTrustedIssuer':
      await unlocked.trust.add(command.did, command.label);
      return unlocked.trust.list();
    case 'removeTrustedIssuer':
      await unlocked.trust.remove(command.did);
      return unlocked.trust.list();
  }
}
