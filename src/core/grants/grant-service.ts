import { randomId } from '../encoding.ts';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { WriteOp } from '../ports.ts';
import { grantStatus, type DataAccessTerms, type GrantEvent, type GrantRecord } from './grant-record.ts';

/** Identity grants last this long unless revoked first. */
export const IDENTITY_GRANT_DAYS = 90;
const DAY_MS = 86_400_000;
/** Keep the evidence trail bounded: a daily login for years must not grow a record forever. */
export const MAX_PRESENTATION_HASHES = 200;

/** The lock name of one grant record: held by every read-modify-write of it (see CommitPoint). */
export const grantLock = (grantId: string) => `grant:${grantId}`;

/**
 * Grant records: reads, and the writes that change them. It never writes by itself:
 * each change returns its write for the caller's unit of work, and must be computed
 * from a copy read while holding the grant's lock.
 */
export class GrantService {
  constructor(
    private readonly grants: EncryptedCollection<GrantRecord>,
    private readonly now: () => number,
  ) {}

  async list(): Promise<GrantRecord[]> {
    const all = await this.grants.list();
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  get(grantId: string): Promise<GrantRecord | undefined> {
    return this.grants.get(grantId);
  }

  /** The grant with this id if it is still active. */
  async active(grantId: string): Promise<GrantRecord | undefined> {
    const grant = await this.grants.get(grantId);
    return grant && grantStatus(grant, this.now()) === 'active' ? grant : undefined;
  }

  /** A new identity grant and the write that stores it. */
  async newIdentityGrant(args: { origin: string; did: string; requestHash: string; presentationHash: string }): Promise<{ grant: GrantRecord; op: WriteOp }> {
    const grant = this.newGrant({ ...args, kind: 'identity', purposes: ['dpv:IdentityVerification'], durationDays: IDENTITY_GRANT_DAYS, usageLimit: null });
    return { grant, op: await this.grants.putOp(grant.id, grant) };
  }

  /** A new data grant (its receipt is signed by the caller once the record is complete). */
  newDataGrant(args: {
    origin: string;
    did: string;
    purposes: string[];
    durationDays: number;
    usageLimit: number | null;
    access: DataAccessTerms;
    requestHash: string;
    presentationHash: string;
  }): GrantRecord {
    const credentials = args.access.credentials;
    return {
      ...this.newGrant({ ...args, kind: 'data' }),
      credentialTypes: [...new Set(credentials.flatMap((c) => c.types))],
      claimPaths: credentials.flatMap((c) => c.claimPaths),
      receiptId: crypto.randomUUID(),
      receipt: null,
      access: args.access,
    };
  }

  /** The parts every grant has: parties, purposes, term, evidence, and its requested/given events. */
  private newGrant(args: {
    kind: GrantRecord['kind'];
    origin: string;
    did: string;
    purposes: string[];
    durationDays: number;
    usageLimit: number | null;
    requestHash: string;
    presentationHash: string;
  }): GrantRecord {
    const now = this.now();
    const at = new Date(now).toISOString();
    return {
      id: randomId(),
      version: 1,
      createdAt: at,
      kind: args.kind,
      requester: { origin: args.origin, id: null, displayName: args.origin, verification: { status: 'unverified' } },
      holder: { pairwiseDid: args.did },
      purposes: args.purposes,
      credentialTypes: [],
      claimPaths: [],
      expiresAt: new Date(now + args.durationDays * DAY_MS).toISOString(),
      usageLimit: args.usageLimit,
      requestHash: args.requestHash,
      presentationHashes: [args.presentationHash],
      receiptId: null,
      events: [
        { type: 'requested', at, actor: 'requester' },
        { type: 'given', at, actor: 'holder' },
      ],
    };
  }

  putOp(grant: GrantRecord): Promise<WriteOp> {
    return this.grants.putOp(grant.id, grant);
  }

  /** The write recording one access under `grant` (a copy read under its lock); a data grant counts it against its limit. */
  accessOp(grant: GrantRecord, presentationHash: string): Promise<WriteOp> {
    const event: GrantEvent = { type: 'accessed', at: new Date(this.now()).toISOString(), actor: 'requester' };
    const kept = grant.events.filter((e) => e.type === 'accessed').slice(-(MAX_PRESENTATION_HASHES - 1));
    return this.grants.putOp(grant.id, {
      ...grant,
      ...(grant.access ? { access: { ...grant.access, usageCount: grant.access.usageCount + 1 } } : {}),
      presentationHashes: [...grant.presentationHashes, presentationHash].slice(-MAX_PRESENTATION_HASHES),
      events: [...grant.events.filter((e) => e.type !== 'accessed'), ...kept, event],
    });
  }

  /** The expired grant and its write, once its term has passed (null while it runs or once it ended otherwise). */
  async expiry(grant: GrantRecord): Promise<{ expired: GrantRecord; op: WriteOp } | null> {
    const ended = grant.events.some((e) => e.type === 'withdrawn' || e.type === 'expired');
    if (ended || grant.expiresAt === null || Date.parse(grant.expiresAt) > this.now()) return null;
    const expired: GrantRecord = { ...grant, events: [...grant.events, { type: 'expired', at: new Date(this.now()).toISOString(), actor: 'wallet' }] };
    return { expired, op: await this.grants.putOp(grant.id, expired) };
  }

  /** Grants whose term has passed without an `expired` event yet. */
  async dueForExpiry(): Promise<GrantRecord[]> {
    const now = this.now();
    return (await this.grants.list()).filter(
      (g) => g.expiresAt !== null && Date.parse(g.expiresAt) <= now && !g.events.some((e) => e.type === 'withdrawn' || e.type === 'expired'),
    );
  }

  /** The withdrawn grant and its write, or null when the grant has ended already (nothing to change). */
  async withdrawal(grant: GrantRecord, actor: GrantEvent['actor']): Promise<{ revoked: GrantRecord; op: WriteOp } | null> {
    if (grantStatus(grant, this.now()) !== 'active') return null;
    const revoked: GrantRecord = {
      ...grant,
      events: [...grant.events, { type: 'withdrawn', at: new Date(this.now()).toISOString(), actor }],
    };
    return { revoked, op: await this.grants.putOp(grant.id, revoked) };
  }
}
