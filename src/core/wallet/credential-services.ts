import { createDidResolver } from '../identity/did-resolvers.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import type { WalletPorts } from '../ports.ts';
import type { ApprovalDesk } from './approval-desk.ts';
import { CredentialHoldings } from './credential-holdings.ts';
import { CredentialIntake } from './credential-intake.ts';
import { CredentialPresentation } from './credential-presentation.ts';
import { CredentialStatusService } from './credential-status.ts';
import { DataAccessFlow } from './data-access-flow.ts';
import type { WalletSession } from './wallet-session.ts';

/**
 * The credential use cases, built together because they share one DID resolver and
 * one status-list cache. This module is loaded lazily (see Wallet), so the worker
 * starts without the credential libraries (jose, SD-JWT, DCQL).
 */
export interface CredentialServices {
  intake: CredentialIntake;
  presentation: CredentialPresentation;
  holdings: CredentialHoldings;
  dataAccess: DataAccessFlow;
}

export function createCredentialServices(ports: WalletPorts, session: WalletSession, commit: CommitPoint, desk: ApprovalDesk): CredentialServices {
  const resolver = createDidResolver();
  const status = new CredentialStatusService(ports, resolver, commit);
  return {
    intake: new CredentialIntake(ports, session, commit, desk, status, resolver),
    presentation: new CredentialPresentation(ports, commit, desk, status, resolver),
    holdings: new CredentialHoldings(session, commit, status),
    dataAccess: new DataAccessFlow(ports, session, commit, desk, status),
  };
}
