/**
 * The library's card register: one member per data-access grant, keyed by the page
 * origin and the grant id, with what the library last read under it. In memory, like
 * every demo site.
 */
import type { VerifiedQueryAnswer } from '../city/verifier.ts';
import type { VerifiedReceipt } from './receipt.ts';

const DAY_MS = 86_400_000;
/** A card runs a year from each verified reading, but never past the grant. */
const CARD_DAYS = 365;

export interface LibraryMember {
  grantId: string;
  origin: string;
  /** The pairwise DID that signed the consent receipt. */
  did: string;
  name: string;
  address: string;
  /** Where the resident card came from (its issuer DID). */
  issuer: string;
  grantExpiresAt: string | null;
  cardValidUntil: string;
  joinedAt: string;
  renewals: number;
  lastReadAt: string;
  /** Why access ended (4100, grantRevoked, given up), or null while the grant lives. */
  ended: string | null;
}

function describe(answer: VerifiedQueryAnswer): { name: string; address: string } {
  const c = answer.claims as { given_name?: unknown; family_name?: unknown; address?: Record<string, unknown> };
  const address = c.address ?? {};
  return {
    name: [c.given_name, c.family_name].filter((v) => typeof v === 'string').join(' '),
    address: [address.street_address, address.postal_code, address.locality].filter((v) => typeof v === 'string').join(', '),
  };
}

export class LibraryBook {
  private readonly members = new Map<string, LibraryMember>();

  private key(origin: string, grantId: string): string {
    return `${origin} ${grantId}`;
  }

  get(origin: string, grantId: string): LibraryMember | null {
    return this.members.get(this.key(origin, grantId)) ?? null;
  }

  all(): LibraryMember[] {
    return [...this.members.values()];
  }

  join(origin: string, grantId: string, did: string, answer: VerifiedQueryAnswer, receipt: VerifiedReceipt): LibraryMember {
    const now = new Date();
    const member: LibraryMember = {
      grantId,
      origin,
      did,
      ...describe(answer),
      issuer: answer.issuer,
      grantExpiresAt: receipt.grant.expiresAt,
      cardValidUntil: this.cardEnd(now, receipt.grant.expiresAt),
      joinedAt: now.toISOString(),
      renewals: 0,
      lastReadAt: now.toISOString(),
      ended: null,
    };
    this.members.set(this.key(origin, grantId), member);
    return member;
  }

  renew(origin: string, grantId: string, answer: VerifiedQueryAnswer): LibraryMember {
    const member = this.get(origin, grantId);
    if (!member) throw new Error('the library holds no grant with that id');
    const now = new Date();
    Object.assign(member, describe(answer), {
      renewals: member.renewals + 1,
      lastReadAt: now.toISOString(),
      cardValidUntil: this.cardEnd(now, member.grantExpiresAt),
    });
    return member;
  }

  end(origin: string, grantId: string, reason: string): LibraryMember | null {
    const member = this.get(origin, grantId);
    if (!member) return null;
    member.ended ??= reason;
    return member;
  }

  private cardEnd(from: Date, grantEnd: string | null): string {
    const card = from.getTime() + CARD_DAYS * DAY_MS;
    const end = grantEnd ? Math.min(card, Date.parse(grantEnd)) : card;
    return new Date(end).toISOString();
  }
}
