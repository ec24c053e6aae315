import type { CredentialView } from '../../protocol/internal.ts';
import type { CompactOfferParams } from '../../protocol/rpc.ts';
import { CredentialError } from '../credentials/errors.ts';
import { OriginHolderKeys, WalletHolderKeys } from '../credentials/holder-keys.ts';
import type { CredentialRecord, CredentialStatus, HolderKeys, VerifiedCredential } from '../credentials/types.ts';
import { verifyCredential } from '../credentials/verify-credential.ts';
import { hashJson } from '../encoding.ts';
import { isDidWeb } from '../identity/did-web-resolver.ts';
import { DomainError } from '../errors.ts';
import { approvalHeader, type ApprovalKindHandler } from './approval-kinds.ts';
import { toCredentialView } from './credential-views.ts';
import { displayToKeep, keepCredential } from './credential-keep.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { CredentialContext } from './flow-context.ts';

/**
 * The one answer a site gets for any refused offer (DESIGN.md §3.2): a precise reason
 * would tell it which DIDs or keys the wallet holds. The holder sees the reason in
 * the dashboard's import.
 */
export const SITE_OFFER_REFUSED = 'invalid credential';

/** Shown for an offer before the holder accepts it: its status is fetched only then. */
const NOT_CHECKED_YET: CredentialStatus = { state: 'unknown', checkedAt: null, reason: 'checked when you accept it', nextCheckAt: null };

/** Receiving credentials: a site's offer (with its approval) and the holder's own import. */
export class CredentialIntake {
  constructor(private readonly ctx: CredentialContext) {}

  /**
   * A site offers a credential. The pending check comes first; then, when unlocked,
   * the offer is verified at once against the site's own DID and key only, and any
   * refusal is the same `invalid_credential` with no window. When locked it is
   * verified after unlocking, in the window.
   */
  async offer(origin: string, requestId: string, params: CompactOfferParams): Promise<{ id: string }> {
    if (await this.ctx.desk.queue.hasPending(origin, 'offer')) {
      throw new DomainError('pending', 'A offer request from this origin is already pending; wait for it to finish.');
    }
    const wallet = await this.ctx.session.current();
    if (wallet) {
      // A connected site's offer is checked in full before any window (its status too);
      // for any other site nothing is fetched before the holder decides (a did:web issuer included).
      const connected = await this.isConnected(wallet, origin);
      const verified = await this.verifyForSite(wallet, origin, params.credential, connected ? 'now' : 'when-accepted');
      if (connected) await this.refuseIfRevoked(verified);
    }
    const requestHash = await hashJson({ method: 'wallet_offerCredential', origin, params });
    return (await this.ctx.desk.ask(requestId, { kind: 'offer', origin, requestId, requestHash, credential: params.credential })) as { id: string };
  }

  readonly approvalKind: ApprovalKindHandler<'offer'> = {
    kind: 'offer',
    view: async (wallet, approval) => {
      // A connected site (an active grant) may have its offer's status shown before the
      // decision; for any other, the wallet fetches nothing until the holder accepts.
      const connected = await this.isConnected(wallet, approval.origin);
      const verified = await this.verifyForSite(wallet, approval.origin, approval.credential, connected ? 'now' : 'when-accepted');
      const status = connected ? await this.ctx.status.statusOf(verified) : NOT_CHECKED_YET;
      // Its type metadata likewise: fetched for a connected site only, else at acceptance.
      const { display, notes } = connected ? await displayToKeep(this.ctx, verified, {}) : { display: undefined, notes: [] };
      const record: CredentialRecord = {
        ...verified,
        id: '',
        receivedAt: '',
        receivedFrom: approval.origin,
        statusResult: status,
        ...(display ? { display } : {}),
        ...(notes.length > 0 ? { displayNotes: notes } : {}),
      };
      const credential = await toCredentialView(wallet, record);
      return { show: { ...approvalHeader(approval), credential: { ...credential, receivedAt: null } } };
    },
    approve: async (wallet, approval) => {
      const verified = await this.verifyForSite(wallet, approval.origin, approval.credential);
      // The holder accepted: now the status may be fetched.
      return { id: (await this.keep(verified, await this.refuseIfRevoked(verified), approval.origin)).id };
    },
  };

  /** Dashboard import (paste or file): bound to any of the wallet's DIDs, refusals precise for the holder. */
  async importCredential(raw: string): Promise<CredentialView> {
    const wallet = await this.ctx.session.require();
    let verified: VerifiedCredential;
    let status: CredentialStatus;
    try {
      verified = await this.verify(raw, new WalletHolderKeys(wallet.pairwise));
      status = await this.ctx.status.statusOf(verified);
      if (status.state === 'revoked' || status.state === 'suspended') {
        throw new CredentialError(status.state, `the credential is ${status.state} (${status.reason ?? 'by its issuer'})`);
      }
    } catch (error) {
      if (error instanceof CredentialError) throw new DomainError('invalid_credential', error.message);
      throw error;
    }
    return toCredentialView(wallet, await this.keep(verified, status, 'import'));
  }

  private async refuseIfRevoked(verified: VerifiedCredential): Promise<CredentialStatus> {
    const status = await this.ctx.status.statusOf(verified);
    if (status.state === 'revoked' || status.state === 'suspended') throw siteRefusal();
    return status;
  }

  private async isConnected(wallet: UnlockedWallet, origin: string): Promise<boolean> {
    const site = await wallet.pairwise.find(origin);
    return Boolean(site?.identityGrantId && (await wallet.grants.active(site.identityGrantId)));
  }

  /** `when-accepted`: a did:web issuer is not resolved (its signature is checked on approval). */
  private async verifyForSite(wallet: UnlockedWallet, origin: string, raw: string, issuerCheck: 'now' | 'when-accepted' = 'now'): Promise<VerifiedCredential> {
    try {
      return await this.verify(raw, new OriginHolderKeys(wallet.pairwise, origin), issuerCheck === 'when-accepted' ? isDidWeb : undefined);
    } catch (error) {
      if (error instanceof CredentialError) throw siteRefusal();
      throw error;
    }
  }

  private verify(raw: string, holderKeys: HolderKeys, deferIssuer?: (issuer: string) => boolean): Promise<VerifiedCredential> {
    return verifyCredential(raw, { resolver: this.ctx.resolver, holderKeys, now: this.ctx.ports.now(), ...(deferIssuer ? { deferIssuer } : {}) });
  }

  private keep(verified: VerifiedCredential, status: CredentialStatus, receivedFrom: string): Promise<CredentialRecord> {
    return keepCredential(this.ctx, verified, status, receivedFrom);
  }
}

export const siteRefusal = () => new DomainError('invalid_credential', SITE_OFFER_REFUSED);
