/**
 * The authorization code flow's state between the holder's approval and the issuer's
 * redirect, in storage.session, so that a service worker stopped while the holder
 * signs in at the issuer loses nothing: the approval and the page's reply wait in
 * the session store too, and the tab's arrival at the redirect URI (an event that
 * wakes the worker) finds everything it needs here.
 *
 * Approving twice: the first approval opens the sign-in tab and leaves the request
 * pending (the window says so); the redirect records the code (or the issuer's
 * error) and approves again, which exchanges the code — once: the state is forgotten
 * before the exchange.
 */
import type { SessionStore } from '../ports.ts';

export interface PendingAuthorization {
  approvalId: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  tabId: number;
  /** Set by the redirect. */
  outcome?: { code: string } | { error: string };
}

const byApproval = (approvalId: string) => `issuanceAuth:${approvalId}`;
const byState = (state: string) => `issuanceAuthState:${state}`;

export const SIGN_IN_NOTICE = 'Sign in at the issuer in the tab that opened. This window continues once you have signed in there.';

export class AuthorizationSessions {
  constructor(private readonly session: SessionStore) {}

  get(approvalId: string): Promise<PendingAuthorization | undefined> {
    return this.session.get<PendingAuthorization>(byApproval(approvalId));
  }

  async approvalOfState(state: string): Promise<string | undefined> {
    return this.session.get<string>(byState(state));
  }

  async begin(pending: PendingAuthorization): Promise<void> {
    await this.session.set({ [byApproval(pending.approvalId)]: pending, [byState(pending.state)]: pending.approvalId });
  }

  async record(pending: PendingAuthorization, outcome: NonNullable<PendingAuthorization['outcome']>): Promise<void> {
    await this.session.set({ [byApproval(pending.approvalId)]: { ...pending, outcome } });
  }

  async forget(pending: PendingAuthorization): Promise<void> {
    await this.session.remove([byApproval(pending.approvalId), byState(pending.state)]);
  }
}
