import * as v from 'valibot';
import { UiCommandSchema, type UiCommand, type UiReply } from '../../protocol/internal.ts';
import { isDomainError } from '../../core/errors.ts';
import type { Wallet } from '../../core/wallet/wallet.ts';

/**
 * Commands the holder's own actions send. Only these restart the auto-lock countdown:
 * reads the pages repeat on their own (state, lists, the approval on screen) must not
 * keep the wallet awake.
 */
const USER_ACTIONS = new Set<UiCommand['command']>([
  'changePassword',
  'resolveApproval',
  'revokeGrant',
  'getCredential',
  'deleteCredential',
  'importCredential',
  'openCredentialOffer',
  'refreshCredentialStatus',
  'addTrustedIssuer',
  'removeTrustedIssuer',
  'addAccreditor',
  'removeAccreditor',
  'setResearchPolicy',
  'setCredentialCategories',
  'getReceipt',
  'createDeletionRequest',
  'deleteActivityPayload',
  'exportData',
  'setAnchoring',
  'anchorNow',
  'retryAnchorTransaction',
  'exportBackup',
  'restoreBackup',
]);

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
    const value = await runCommand(wallet, parsed.output);
    if (USER_ACTIONS.has(parsed.output.command) && (await wallet.session.current())) await wallet.session.touch();
    return { ok: true, value };
  } catch (error) {
    if (isDomainError(error)) {
      return { ok: false, error: { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs } };
    }
    console.error('Tessera: command failed', parsed.output.command, error);
    return { ok: false, error: { code: 'internal', message: 'Internal wallet error.' } };
  }
}

async function runCommand(wallet: Wallet, command: UiCommand): Promise<unknown> {
  switch (command.command) {
    case 'getState':
      return wallet.locking.state();
    case 'createWallet':
      return wallet.locking.create(command.password);
    case 'unlock':
      return wallet.locking.unlock(command.password);
    case 'lock':
      return wallet.locking.lock();
    case 'changePassword':
      await wallet.locking.changePassword(command.currentPassword, command.newPassword);
      return { changed: true };
    case 'setAutoLock':
      return wallet.locking.setAutoLock(command.minutes);
    case 'getApproval':
      return wallet.desk.lookup(command.approvalId);
    case 'resolveApproval':
      await wallet.desk.resolve(command.approvalId, command.decision, command.selection);
      return { resolved: true };
    case 'listGrants':
      return wallet.grants.listForHolder();
    case 'revokeGrant':
      return wallet.grants.revokeAsHolder(command.grantId);
    case 'getReceipt':
      return wallet.grants.receipt(command.grantId);
    case 'createDeletionRequest':
      return wallet.grants.deletionRequest(command.grantId);
    case 'listActivity':
      return wallet.activity.list(command);
    case 'verifyLedger':
      return wallet.activity.verify();
    case 'deleteActivityPayload':
      await wallet.activity.deletePayload(command.seq);
      return { deleted: true };
    case 'exportData':
      return wallet.activity.exportData();
    case 'getAnchoring':
      return wallet.anchoring.view();
    case 'setAnchoring': {
      const { command: _name, ...settings } = command;
      return wallet.anchoring.save(settings);
    }
    case 'anchorNow':
      return wallet.anchoring.anchorNow();
    case 'retryAnchorTransaction':
      return wallet.anchoring.retry(command.transactionId);
    case 'getBackupStatus':
      return wallet.backup.status();
    case 'exportBackup':
      return wallet.backup.exportBackup({ password: command.password, passphrase: command.passphrase });
    case 'restoreBackup': {
      const { command: _name, ...request } = command;
      return wallet.backup.restore(request);
    }
    default:
      return runCredentialCommand(wallet, command);
  }
}

type CredentialCommand = Exclude<
  UiCommand,
  {
    command:
      | 'getState'
      | 'createWallet'
      | 'unlock'
      | 'lock'
      | 'changePassword'
      | 'setAutoLock'
      | 'getApproval'
      | 'resolveApproval'
      | 'listGrants'
      | 'revokeGrant'
      | 'getReceipt'
      | 'createDeletionRequest'
      | 'listActivity'
      | 'verifyLedger'
      | 'deleteActivityPayload'
      | 'exportData'
      | 'getAnchoring'
      | 'setAnchoring'
      | 'anchorNow'
      | 'retryAnchorTransaction'
      | 'getBackupStatus'
      | 'exportBackup'
      | 'restoreBackup';
  }
>;

async function runCredentialCommand(wallet: Wallet, command: CredentialCommand): Promise<unknown> {
  const { intake, issuance, holdings, research } = await wallet.credentials();
  switch (command.command) {
    case 'listCredentials':
      return holdings.list();
    case 'getCredential':
      return holdings.detail(command.credentialId);
    case 'deleteCredential':
      await holdings.delete(command.credentialId);
      return { deleted: true };
    case 'importCredential':
      return intake.importCredential(command.credential);
    case 'openCredentialOffer':
      return issuance.openFromDashboard(command.offer);
    case 'refreshCredentialStatus':
      return holdings.refreshStatus(command.credentialId);
    case 'listTrustedIssuers':
      return holdings.trustedIssuers();
    case 'addTrustedIssuer':
      return holdings.trustIssuer(command.did, command.label);
    case 'removeTrustedIssuer':
      return holdings.distrustIssuer(command.did);
    case 'listAccreditors':
      return research.accreditors();
    case 'addAccreditor':
      return research.addAccreditor(command.did, command.label);
    case 'removeAccreditor':
      return research.removeAccreditor(command.did);
    case 'getResearchPolicy':
      return research.policy();
    case 'setResearchPolicy':
      return research.setPolicy(command.categories, command.sensitive);
    case 'setCredentialCategories':
      return research.setCredentialCategories(command.credentialId, command.categories);
  }
}
