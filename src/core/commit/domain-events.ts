import type { AnchoringSettings } from '../anchoring/anchoring-records.ts';

/**
 * What happened in the wallet, as the use cases announce it. Events are collected by
 * the unit of work and published only after its writes committed, so a subscriber
 * (page notifications, later the ledger's anchoring and expiry) never acts on a
 * change that did not land.
 */
export type DomainEvent =
  | { type: 'wallet.created' }
  /** An encrypted backup was exported (`keyCount`: the keys it holds). */
  | { type: 'wallet.backedUp'; keyCount: number }
  /** `activeOrigins`: the origins with an active grant, the only ones told of lock changes. */
  | { type: 'wallet.unlocked'; activeOrigins: string[] }
  | { type: 'wallet.locked'; activeOrigins: string[] }
  | { type: 'identity.login'; grantId: string; origin: string; firstTime: boolean }
  /** `receipt`: the consent receipt JWT of a data grant (the ledger entry's payload). */
  | { type: 'grant.given'; grantId: string; origin: string; kind: 'identity' | 'data'; receipt: string | null; purposes: string[] }
  | { type: 'grant.accessed'; grantId: string; origin: string }
  /** `receipt`: the revoked data grant's receipt JWT (anchoring sends its hash to the chain), null for identity grants. */
  | { type: 'grant.revoked'; grantId: string; origin: string; actor: 'holder' | 'requester' | 'wallet'; receipt: string | null }
  | { type: 'grant.expired'; grantId: string; origin: string }
  | { type: 'credential.received'; credentialId: string; from: string; format: string; types: string[]; issuer: string }
  | { type: 'credential.deleted'; credentialId: string }
  | { type: 'credential.status'; credentialId: string; state: string }
  /** A one-time share (DC API, wallet_requestCredentials): which credentials and claim paths left, never values. */
  | { type: 'credential.presented'; origin: string; credentials: { id: string; types: string[]; claimPaths: (string | number)[][] }[] }
  | { type: 'trust.changed'; did: string; trusted: boolean }
  | { type: 'accreditor.changed'; did: string; trusted: boolean }
  /** A data-access request's requester, as checked (§8); logged when the user decides. */
  | { type: 'requester.checked'; origin: string; verified: boolean; did: string | null; reason: string | null; accreditor: string | null; study: string | null }
  | { type: 'deletion.requested'; grantId: string; origin: string }
  /** A site's credential offer the wallet refused: the site heard only "invalid credential"; the holder sees why here. */
  | { type: 'offer.refused'; origin: string; reason: string }
  /** An anchoring transaction was mined: the ledger's root (`anchor`) or a revocation (`revoke`) is on the chain. */
  | {
      type: 'anchor.sent';
      transactionId: string;
      kind: 'anchor' | 'revoke';
      chainId: number;
      contract: string;
      txHash: string;
      blockNumber: number;
      treeSize: number | null;
      root: string | null;
      grantId: string | null;
      /** Anchors after the first: the size it extends and the consistency proof from there (base64url). */
      consistency: { fromSize: number; proof: string[] } | null;
    }
  /** Anchoring was turned on or off, or pointed elsewhere (not a ledger entry; earlier revocations are queued, the sender wakes). */
  | { type: 'anchoring.changed'; settings: AnchoringSettings };

export type DomainEventType = DomainEvent['type'];

/** Runs after a commit with the events it carried, in order. Failures are logged, never undo the commit. */
export type EventSubscriber = (events: readonly DomainEvent[]) => Promise<void>;
