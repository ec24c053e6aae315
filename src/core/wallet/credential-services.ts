import { createDidResolver } from '../identity/did-resolvers.ts';
import { CredentialHoldings } from './credential-holdings.ts';
import { CredentialIntake } from './credential-intake.ts';
import { CredentialIssuance } from './credential-issuance.ts';
import { CredentialPresentation } from './credential-presentation.ts';
import { CredentialStatusService } from './credential-status.ts';
import { DataAccessFlow } from './data-access-flow.ts';
import type { CredentialContext, FlowContext } from './flow-context.ts';
import { ResearchSettings } from './research-settings.ts';

/**
 * The credential use cases, built together because they share one DID resolver and
 * one status-list cache. This module is loaded lazily (see Wallet), so the worker
 * starts without the credential libraries (jose, SD-JWT, DCQL).
 */
export interface CredentialServices {
  intake: CredentialIntake;
  /** OpenID4VCI receiving. */
  issuance: CredentialIssuance;
  presentation: CredentialPresentation;
  holdings: CredentialHoldings;
  dataAccess: DataAccessFlow;
  research: ResearchSettings;
}

export function createCredentialServices(context: FlowContext): CredentialServices {
  const resolver = createDidResolver({ fetcher: context.ports.fetcher, now: context.ports.now });
  const status = new CredentialStatusService(context.ports, resolver, context.commit);
  const ctx: CredentialContext = { ...context, status, resolver };
  return {
    intake: new CredentialIntake(ctx),
    issuance: new CredentialIssuance(ctx),
    presentation: new CredentialPresentation(ctx),
    holdings: new CredentialHoldings(ctx),
    dataAccess: new DataAccessFlow(ctx),
    research: new ResearchSettings(ctx),
  };
}
