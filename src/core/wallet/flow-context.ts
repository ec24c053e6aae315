import type { CommitPoint } from '../commit/unit-of-work.ts';
import type { DidResolver } from '../credentials/types.ts';
import type { WalletPorts } from '../ports.ts';
import type { ApprovalDesk } from './approval-desk.ts';
import type { CredentialStatusService } from './credential-status.ts';
import type { WalletSession } from './wallet-session.ts';

/** What every flow is built from: the platform, the lock state, the commit point and the approval desk. */
export interface FlowContext {
  ports: WalletPorts;
  session: WalletSession;
  commit: CommitPoint;
  desk: ApprovalDesk;
}

/** The credential flows also share one DID resolver and one status-list cache. */
export interface CredentialContext extends FlowContext {
  status: CredentialStatusService;
  resolver: DidResolver;
}
