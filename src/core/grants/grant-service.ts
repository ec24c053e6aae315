import { unauthorized } from '../../protocol/errors.ts';
import { randomId } from '../encoding.ts';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { WriteOp } from '../storage/ports.ts';
import { grantStatus, type GrantEvent, type GrantRecord } from './grant-record.ts';

/** Identity grants last this long unless revoked first. */
export const IDENTITY_GRANT_DAYS = 90;
const DAY_MS = 86_400_000;
/** Keep the evidence trail bounded: a daily login for years must not grow a record forever. */
export const MAX_PRESENTATION_HASHES = 200;

export class GrantService {
  constructor(
    private readonly grants: EncryptedCollection<GrantRecord>,
    private readonly now: () => number,
  ) {}

  async list(): Promise<GrantRecord[]> {
    const all = await this.grants.list();
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  async listForOrigin(origin: string): Promise<GrantRecord[]> {
    return (await this.list()).filter((g) => g.requester.origin === origin);
  }

  /** The grant with this id if it is still active. */
  async active(grantId: string): Promise<GrantRecord | undefined> {
    const grant = await this.grants.get(grantId);
    return grant && grantStatus(grant, this.now()) === 'active' ? grant : undefined;
  }

  /** A new identity grant and the write that stores it (the caller commits it with related writes). */
  async newIdentityGrant(args: { origin: string; did: string; requestHash: string; presentationHash: string }): Promise<{ grant: GrantRecord; op: WriteOp }> {
    const now = this.now();
    const at = new Date(now).toISOString();
    const grant: GrantRecord = {
      id: randomId(),
      version: 1,
      createdAt: at,
      kind: 'identity',
      requester: { origin: args.origin, id: null, displayName: args.origin, verification: { status: 'unverified' } },
      holder: { pairwiseDid: args.did },
      purposes: ['dpv:IdentityVerification'],
      credentialTypes: [],
      claimPaths: [],
      expiresAt: new Date(now + IDENTITY_GRANT_DAYS * DAY_MS).toISOString(),
      usageLimit: null,
      requestHash: args.requestHash,
      presentationHashes: [args.presentationHash],
      receiptId: null,
      events: [
        { type: 'requested', at, actor: 'requester' },
        { type: 'given', at, actor: 'holder' },
      ],
    };
    return { grant, op: await this.grants.putOp(grant.id, grant) };
  }

  async recordAccess(grant: GrantRecord, presentationHash: string): Promise<void> {
    const event: GrantEvent = { type: 'accessed', at: new Date(this.now()).toISOString(), actor: 'requester' };
    await this.grants.put(grant.id, {
      ...grant,
      presentationHashes: [...grant.presentationHashes, presentationHash].slice(-MAX_PRESENTATION_HASHES),
      events: [...grant.events.filter((e) => e.type !== 'accessed'), ...this.keptAccessEvents(grant), event],
    });
  }

  /**
   * Withdraws a grant. `origin`, when given, must own the grant: a site asking about
   * another site's grant gets the same answer as for an unknown id.
   */
  async revoke(grantId: string, actor: GrantEvent['actor'], origin?: string): Promise<GrantRecord> {
    const grant = await this.grants.get(grantId);
    if (!grant || (origin !== undefined && grant.requester.origin !== origin)) throw unauthorized('Unknown grant.');
    if (grantStatus(grant, this.now()) !== 'active') return grant;
    const revoked: GrantRecord = {
      ...grant,
      events: [...grant.events, { type: 'withdrawn', at: new Date(this.now()).toISOString(), actor }],
    };
    await this.grants.put(grant.id, revoked);
    return revoked;
  }

  /** The most recent access events, oldest first, capped like the hashes. */
  private keptAccessEvents(grant: GrantRecord): GrantEvent[] {
    return grant.events.filter((e) => e.type === 'accessed').slice(-(MAX_PRESENTATION_HASHES - 1));
  }
}
