import type { ActivityEntryView, ActivityKind, ActivityPageView, LedgerIntegrityView } from '../../protocol/internal.ts';
import { fromUtf8 } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { ledgerLogOrigin, type TimelineEntry } from '../ledger/ledger.ts';
import { grantIdsOf } from '../identity/pairwise.ts';
import type { FlowContext } from './flow-context.ts';


/**
 * The holder's activity log: the timeline (paged, filtered), its integrity, deleting
 * an entry's payload (the entry stays, so chain, roots and proofs stay valid), and the
 * export of everything the wallet knows about the user (GDPR Art. 15/20).
 */
export class ActivityFlow {
  constructor(private readonly ctx: FlowContext) {}

  /** Newest first. A filter reads the whole log (payloads say which origin an entry is about). */
  async list(args: { offset: number; limit: number; origin?: string; kind?: string }): Promise<ActivityPageView> {
    const { ledger } = await this.ctx.session.require();
    const size = await ledger.size();
    if (args.origin === undefined && args.kind === undefined) {
      const end = Math.max(0, size - args.offset);
      const start = Math.max(0, end - args.limit);
      const page = await ledger.page(start, end - start);
      return { total: size, entries: page.map(toActivityView).reverse() };
    }
    const all = (await ledger.page(0, size)).map(toActivityView).reverse();
    const matching = all.filter((e) => (args.kind === undefined || e.kind === args.kind) && (args.origin === undefined || e.origin === args.origin));
    return { total: matching.length, entries: matching.slice(args.offset, args.offset + args.limit) };
  }

  /** Recomputes the chain and the root; when intact, signs a fresh checkpoint of it. */
  async verify(): Promise<LedgerIntegrityView> {
    const { ledger } = await this.ctx.session.require();
    const result = await ledger.verify();
    if (!result.ok) return { ok: false, size: await ledger.size(), firstBadIndex: result.firstBadIndex, reason: result.reason };
    const checkpoint = result.size > 0 ? await ledger.checkpoint(ledgerLogOrigin((await ledger.publicKey()).publicKey)) : null;
    return { ok: true, size: result.size, root: result.root, checkpoint };
  }

  async deletePayload(seq: number): Promise<void> {
    const { ledger } = await this.ctx.session.require();
    const ops = await ledger.deletePayloadOps(seq);
    await this.ctx.commit.run(async (unit) => unit.write(...ops));
  }

  /** Everything the wallet holds about the user, as structured JSON, with a fresh signed checkpoint. */
  async exportData(): Promise<Record<string, unknown>> {
    const wallet = await this.ctx.session.require();
    const [credentials, grants, sites, trusted, accreditors, researchPolicy, size] = await Promise.all([
      wallet.credentials.list(),
      wallet.grants.list(),
      wallet.pairwise.list(),
      wallet.trust.list(),
      wallet.research.accreditors.list(),
      wallet.research.policy(),
      wallet.ledger.size(),
    ]);
    const integrity = await this.verify();
    const activity = await wallet.ledger.page(0, size);
    return {
      format: 'tessera-export/1',
      exportedAt: new Date(this.ctx.ports.now()).toISOString(),
      credentials: credentials.map(({ id, format, raw, issuer, types, vct, claims, receivedAt, receivedFrom, statusResult, holder }) => ({
        id,
        format,
        raw,
        issuer,
        types,
        vct,
        claims: claims.map(({ path, value }) => ({ path, value })),
        receivedAt,
        receivedFrom,
        status: statusResult,
        holderDid: holder.did,
      })),
      grants,
      sites: sites.map((s) => ({ origin: s.origin, did: s.did, createdAt: s.createdAt, grantIds: grantIdsOf(s) })),
      trustedIssuers: trusted,
      accreditationBodies: accreditors,
      dataCategories: researchPolicy,
      activity: activity.map(({ entry, payload, salt }) => ({ entry, payload, salt })),
      ledger: { ...(await wallet.ledger.publicKey()), integrity },
    };
  }
}

/** An entry as the timeline shows it: its payload parsed (a receipt JWT summarised), never more than it says. */
export function toActivityView({ entry, payload }: TimelineEntry): ActivityEntryView {
  const parsed = payload === null ? null : parsePayload(entry.kind, payload);
  const origin = typeof parsed?.origin === 'string' ? parsed.origin : null;
  return { seq: entry.seq, at: entry.at, kind: entry.kind as ActivityKind, subject: entry.subject, payload: parsed, deleted: payload === null, origin };
}

function parsePayload(kind: string, payload: string): Record<string, unknown> {
  if (kind === 'grant.given' && !payload.startsWith('{')) return summariseReceipt(payload);
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text: payload };
  }
}

/** A data grant's entry holds its receipt: show what it says of the grant. */
function summariseReceipt(jwt: string): Record<string, unknown> {
  try {
    const body = JSON.parse(fromUtf8(base64UrlBytes(jwt.split('.')[1] ?? ''))) as {
      vc?: { credentialSubject?: { grant?: { requester?: { origin?: string }; purposes?: unknown; credentials?: unknown; expiresAt?: unknown } } };
    };
    const grant = body.vc?.credentialSubject?.grant;
    return { origin: grant?.requester?.origin ?? null, kind: 'data', purposes: grant?.purposes ?? [], credentials: grant?.credentials ?? [], expiresAt: grant?.expiresAt ?? null, receipt: jwt };
  } catch {
    throw new DomainError('internal', 'A receipt in the activity log cannot be read.');
  }
}

function base64UrlBytes(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

