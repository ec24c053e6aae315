import { DcqlQuery, type DcqlCredential, type DcqlCredentialQuery } from 'dcql';
import type { CredentialFormat, CredentialRecord } from '../credentials/types.ts';
import { claimsFingerprinter } from './dcql-fingerprint.ts';

/** A record the library found to answer the query, with the claim set it answers by (null: no claim_sets). */
export interface LibraryMatch {
  record: CredentialRecord;
  claimSet: number | null;
  /** The claim set was chosen over an earlier one the record also satisfies (data minimisation). */
  minimised: boolean;
}

/** Picks one of the claim sets (indexes into `claim_sets`, in the verifier's order) a record satisfies. */
export type ClaimSetChooser = (satisfied: readonly number[]) => number;

interface Group {
  input: DcqlCredential;
  /** The library's verdict: the chosen satisfied claim set (null: none asked), or undefined: no match. */
  claimSet?: number | null;
  minimised?: boolean;
}

const QUERY_FORMATS: Record<string, readonly CredentialFormat[]> = {
  jwt_vc_json: ['jwt_vc_json', 'vc+jwt'],
  'dc+sd-jwt': ['dc+sd-jwt'],
};

/**
 * Runs one DCQL credential query over records with the dcql library. Records are
 * grouped by what the query can see of them (format, the types or vct it names, the
 * claims fingerprint); the library runs once per group, on one real member, so that
 * matching stays fast with thousands of held credentials.
 */
export class LibraryMatcher {
  private readonly meta: (record: CredentialRecord) => string | null;
  private readonly fingerprint: (claims: Record<string, unknown>) => string;
  private readonly groups = new Map<string, Group>();
  /** Records that passed the meta filter, in order, and their groups (parallel arrays: less garbage). */
  private readonly records: CredentialRecord[] = [];
  private readonly recordGroups: Group[] = [];

  /** `chooseClaimSet`: which satisfied claim set to answer by (default the verifier's first). */
  constructor(
    private readonly query: DcqlCredentialQuery,
    private readonly chooseClaimSet?: ClaimSetChooser,
  ) {
    this.meta = metaFilter(query);
    this.fingerprint = claimsFingerprinter(query.claims);
  }

  add(record: CredentialRecord): void {
    const metaKey = this.meta(record);
    if (metaKey === null) return;
    const key = `${metaKey}|${this.fingerprint(record.document)}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { input: libraryInput(record) }));
    this.records.push(record);
    this.recordGroups.push(group);
  }

  /** The matching records, in the order they were added. */
  finish(): LibraryMatch[] {
    if (this.groups.size === 0) return [];
    const list = [...this.groups.values()];
    const single = { credentials: [this.query] } as DcqlQuery;
    const outcome = DcqlQuery.query(single, list.map((group) => group.input)).credential_matches[this.query.id];
    for (const valid of outcome?.valid_credentials ?? []) {
      const group = list[valid.input_credential_index]!;
      const satisfied = valid.claims.valid_claim_sets.map((set) => set.claim_set_index).filter((index) => index !== undefined);
      const first = satisfied[0] ?? null;
      const chosen = first !== null && this.chooseClaimSet && satisfied.length > 1 ? this.chooseClaimSet(satisfied) : first;
      group.claimSet = satisfied.includes(chosen as number) ? chosen : first;
      group.minimised = group.claimSet !== first;
    }
    const matched: LibraryMatch[] = [];
    for (let i = 0; i < this.records.length; i++) {
      const group = this.recordGroups[i]!;
      if (group.claimSet !== undefined) matched.push({ record: this.records[i]!, claimSet: group.claimSet, minimised: group.minimised ?? false });
    }
    return matched;
  }
}

/**
 * For one query: null when a record's format or type already rules it out (the test
 * the library would make, done here so most records never reach it), else what of
 * its type the library's meta check depends on (part of the group key).
 */
function metaFilter(query: DcqlCredentialQuery): (record: CredentialRecord) => string | null {
  const formats = QUERY_FORMATS[query.format] ?? [];
  if (query.format === 'jwt_vc_json') {
    const alternatives = query.meta && 'type_values' in query.meta ? query.meta.type_values : [];
    const universe = [...new Set(alternatives.flat())];
    const required = alternatives.map((alternative) => alternative.map((type) => universe.indexOf(type)));
    const present: boolean[] = universe.map(() => false); // reused per record: no allocation in the loop
    return (record) => {
      if (!formats.includes(record.format)) return null;
      let key = '';
      for (let i = 0; i < universe.length; i++) {
        present[i] = record.types.includes(universe[i]!);
        if (present[i]) key += `${i},`;
      }
      return required.some((indexes) => indexes.every((i) => present[i])) ? key : null;
    };
  }
  const vctValues = query.meta && 'vct_values' in query.meta ? query.meta.vct_values : undefined;
  return (record) => {
    if (!formats.includes(record.format) || record.vct === null) return null;
    if (!vctValues) return '';
    return vctValues.includes(record.vct) ? record.vct : null;
  };
}

type JsonClaims = Extract<DcqlCredential, { vct: string }>['claims'];

/** The library's view of a record: W3C formats by `type`, SD-JWT VC by `vct`; claims = the document. */
function libraryInput(record: CredentialRecord): DcqlCredential {
  const claims = record.document as JsonClaims;
  return record.format === 'dc+sd-jwt'
    ? { credential_format: 'dc+sd-jwt', vct: record.vct ?? '', cryptographic_holder_binding: true, claims }
    : { credential_format: 'jwt_vc_json', type: record.types, cryptographic_holder_binding: true, claims };
}

