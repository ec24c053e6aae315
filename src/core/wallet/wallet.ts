import { BackupFlow } from '../backup/backup-flow.ts';
import { CommitPoint } from '../commit/unit-of-work.ts';
import type { ScheduledJob, WalletPorts } from '../ports.ts';
import { Vault } from '../vault/vault.ts';
import { activityRecorder } from './activity-recorder.ts';
import { ActivityFlow } from './activity-flow.ts';
import { anchoringEnricher } from '../anchoring/anchoring-enricher.ts';
import { AnchoringFlow } from './anchoring-flow.ts';
import { ApprovalDesk } from './approval-desk.ts';
import type { CredentialServices } from './credential-services.ts';
import type { FlowContext } from './flow-context.ts';
import { GrantFlow } from './grant-flow.ts';
import { IdentityFlow } from './identity-flow.ts';
import { LockFlow } from './lock-flow.ts';
import { pageNotifier } from './page-notifier.ts';
import { WalletSession } from './wallet-session.ts';

/** Held credentials are re-checked against their status lists on this period (each list's ttl decides what is due). */
export const STATUS_CHECK_PERIOD_MINUTES = 30;
/** Grants whose term passed are marked expired (and their site told) at most this long after. */
export const GRANT_EXPIRY_PERIOD_MINUTES = 5;

/**
 * The composition root: builds the wallet's flows over the platform's ports. The
 * background's routers call the flows with the caller's origin taken from the
 * runtime sender; nothing here touches a browser API.
 */
export class Wallet {
  readonly vault: Vault;
  readonly session: WalletSession;
  readonly commit: CommitPoint;
  readonly desk: ApprovalDesk;
  readonly locking: LockFlow;
  readonly identity: IdentityFlow;
  readonly grants: GrantFlow;
  readonly activity: ActivityFlow;
  readonly anchoring: AnchoringFlow;
  /** Encrypted backup and restore of the whole wallet (issue 10 part 4). */
  readonly backup: BackupFlow;
  private credentialServices: Promise<CredentialServices> | null = null;

  constructor(private readonly ports: WalletPorts) {
    this.vault = new Vault({ store: ports.store, now: ports.now, iterations: ports.kdfIterations });
    this.session = new WalletSession(ports);
    this.commit = new CommitPoint(ports.store);
    this.commit.enrich(activityRecorder(this.session));
    this.commit.enrich(anchoringEnricher(this.session, ports.now));
    this.commit.subscribe(pageNotifier(ports.events));
    this.desk = new ApprovalDesk(ports, this.session);
    this.locking = new LockFlow(ports, this.vault, this.session, this.commit);
    this.identity = new IdentityFlow(this.context());
    this.grants = new GrantFlow(this.context());
    this.activity = new ActivityFlow(this.context());
    this.anchoring = new AnchoringFlow(this.context());
    this.backup = new BackupFlow({ ports, session: this.session, commit: this.commit, vault: this.vault, restored: () => this.anchoring.resume() });
    this.commit.subscribe(this.anchoring.onCommitted);
    this.desk.register('offer', async () => (await this.credentials()).intake.approvalKind);
    this.desk.register('issuance', async () => (await this.credentials()).issuance.approvalKind);
    this.desk.register('credentials', async () => (await this.credentials()).presentation.approvalKind);
    this.desk.register('data-access', async () => (await this.credentials()).dataAccess.approvalKind);
  }

  /** The credential use cases, loaded on first use so the worker starts without them. */
  credentials(): Promise<CredentialServices> {
    this.credentialServices ??= import('./credential-services.ts').then((m) => m.createCredentialServices(this.context()));
    return this.credentialServices;
  }

  private context(): FlowContext {
    return { ports: this.ports, session: this.session, commit: this.commit, desk: this.desk };
  }

  /** At worker start: settle approvals left behind, and make sure the periodic jobs are scheduled. */
  async start(): Promise<void> {
    await this.ports.scheduler.every('status-check', STATUS_CHECK_PERIOD_MINUTES);
    await this.ports.scheduler.every('grant-expiry', GRANT_EXPIRY_PERIOD_MINUTES);
    await this.desk.reconcile();
    // Not the anchoring queue: what a stopped worker left queued or sent has its
    // 'anchoring-retry' alarm (and the policy its period), so a cold start reads nothing for it.
  }

  /** A timed job fired (the scheduler adapter calls this). */
  async runJob(job: ScheduledJob): Promise<void> {
    switch (job) {
      case 'auto-lock':
        await this.locking.lock();
        return;
      case 'status-check':
        await (await this.credentials()).holdings.refreshDueStatuses();
        return;
      case 'grant-expiry':
        await (await this.credentials()).dataAccess.expireDue();
        return;
      case 'anchoring':
      case 'anchoring-retry':
        await this.anchoring.kick();
        return;
    }
  }
}
