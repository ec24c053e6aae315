/**
 * The children's clinic as an issuer: its own Ed25519 did:key, the pediatric health
 * summary it issues to a parent's wallet — an SD-JWT VC (`dc+sd-jwt`, made with
 * `@sd-jwt/sd-jwt-vc`) bound to the parent's key by `cnf.jwk`, every claim selectively
 * disclosable, with both precise claims (birth date, address) and generalised ones
 * (birth year, age band, region) — and the IETF Token Status List that says whether
 * each summary still holds.
 *
 * The holder is the child's parent (`holder_relationship: "parent"`); the summary says
 * when the child comes of age (`coming_of_age_date`, the 18th birthday), so a wallet
 * can end a guardian's grant then.
 */
import { randomUUID } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { createEd25519Did, jwkFromDidKey, type Ed25519Did } from '../registry/did-key.ts';
import { ageOn } from '../registry/issuer.ts';
import { TokenStatusList } from '../status-lists.ts';

export const PEDIATRIC_HEALTH_VCT = 'urn:tessera:demo:PediatricHealthSummary:1';
export const CLINIC_NAME = 'Aldmere Children\u2019s Clinic';
export const COMING_OF_AGE_YEARS = 18;
const VALID_DAYS = 365;

/** What the clinic's records say of a child. */
export interface ChildRecord {
  given_name: string;
  family_name: string;
  /** YYYY-MM-DD */
  birthdate: string;
  address: { street_address: string; locality: string; postal_code: string };
  region: string;
  /** ICD-10 codes. */
  diagnosis_codes: string[];
  medical_record_number: string;
}

export const DEMO_CHILD: ChildRecord = {
  given_name: 'Ilo',
  family_name: 'Quillfeather',
  birthdate: '2019-04-12',
  address: { street_address: '12 Lantern Row', locality: 'Aldmere', postal_code: 'AL-4021' },
  region: 'Aldmere North',
  diagnosis_codes: ['J45.909'],
  medical_record_number: 'ACC-2019-004417',
};

/** The claims of the summary (all of them selectively disclosable). */
export interface HealthSummaryClaims extends ChildRecord {
  birth_year: number;
  age_band: string;
  holder_relationship: 'parent';
  coming_of_age_date: string;
}

export const HEALTH_SUMMARY_CLAIMS = [
  'given_name',
  'family_name',
  'birthdate',
  'birth_year',
  'age_band',
  'address',
  'region',
  'diagnosis_codes',
  'medical_record_number',
  'holder_relationship',
  'coming_of_age_date',
] as const satisfies readonly (keyof HealthSummaryClaims)[];

/** Five-year bands to 15, then 15-17 and 18+ (the band never crosses coming of age). */
export function ageBand(birthdate: string, now = new Date()): string {
  const age = ageOn(birthdate, now);
  if (age < 0) throw new Error('the birth date is in the future');
  if (age >= COMING_OF_AGE_YEARS) return `${COMING_OF_AGE_YEARS}+`;
  if (age >= 15) return `15-${COMING_OF_AGE_YEARS - 1}`;
  const low = age - (age % 5);
  return `${low}-${low + 4}`;
}

/** The 18th birthday, YYYY-MM-DD (someone born on 29 February comes of age on 1 March in a common year). */
export function comingOfAgeDate(birthdate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (!match) throw new Error('birthdate must be YYYY-MM-DD');
  const day = new Date(Date.UTC(Number(match[1]) + COMING_OF_AGE_YEARS, Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10);
}

export function healthSummaryClaims(child: ChildRecord, now = new Date()): HealthSummaryClaims {
  return {
    ...child,
    address: { ...child.address },
    diagnosis_codes: [...child.diagnosis_codes],
    birth_year: Number(child.birthdate.slice(0, 4)),
    age_band: ageBand(child.birthdate, now),
    holder_relationship: 'parent',
    coming_of_age_date: comingOfAgeDate(child.birthdate),
  };
}

export interface IssuedHealthSummary {
  id: string;
  /** The parent's DID whose key the summary is bound to. */
  holder: string;
  credential: string;
  claims: HealthSummaryClaims;
  statusIndex: number;
  statusUrl: string;
  issuedAt: string;
  revoked: boolean;
}

export interface ClinicIssuerOptions {
  /** Where the clinic publishes, e.g. http://127.0.0.1:PORT: its status list is `<baseUrl>/status/token`. */
  baseUrl: string;
  key?: Ed25519Did;
  name?: string;
}

export class ClinicIssuer {
  readonly key: Ed25519Did;
  readonly name: string;
  readonly baseUrl: string;
  readonly issued: IssuedHealthSummary[] = [];
  private readonly list = new TokenStatusList();

  constructor(options: ClinicIssuerOptions) {
    this.key = options.key ?? createEd25519Did();
    this.name = options.name ?? CLINIC_NAME;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get did(): string {
    return this.key.did;
  }

  get kid(): string {
    return this.key.kid;
  }

  get statusUrl(): string {
    return `${this.baseUrl}/status/token`;
  }

  /** Issues the child's summary to the parent's Ed25519 did:key (its key becomes `cnf.jwk`). */
  async issue(holderDid: string, child: ChildRecord = DEMO_CHILD): Promise<IssuedHealthSummary> {
    const cnf = { jwk: jwkFromDidKey(holderDid) }; // throws for anything but an Ed25519 did:key
    const claims = healthSummaryClaims(child);
    const index = this.list.allocate();
    const now = Math.floor(Date.now() / 1000);
    const sdjwt = new SDJwtVcInstance({
      signer: (input: string) => this.key.sign(input),
      signAlg: 'EdDSA',
      hasher: digest,
      hashAlg: 'sha-256',
      saltGenerator: generateSalt,
    });
    const credential = await sdjwt.issue(
      { iss: this.did, iat: now, nbf: now, exp: now + VALID_DAYS * 86_400, vct: PEDIATRIC_HEALTH_VCT, cnf, status: { status_list: { idx: index, uri: this.statusUrl } }, ...claims },
      { _sd: [...HEALTH_SUMMARY_CLAIMS] },
      { header: { kid: this.kid } },
    );
    const issued: IssuedHealthSummary = {
      id: randomUUID(),
      holder: holderDid,
      credential,
      claims,
      statusIndex: index,
      statusUrl: this.statusUrl,
      issuedAt: new Date().toISOString(),
      revoked: false,
    };
    this.issued.push(issued);
    return issued;
  }

  find(id: string): IssuedHealthSummary | undefined {
    return this.issued.find((c) => c.id === id);
  }

  /** Revokes for good; false if the clinic issued no summary with that id. */
  revoke(id: string): boolean {
    const summary = this.find(id);
    if (!summary) return false;
    this.list.revoke(summary.statusIndex);
    summary.revoked = true;
    return true;
  }

  isRevoked(id: string): boolean {
    const summary = this.find(id);
    return summary !== undefined && this.list.isRevoked(summary.statusIndex);
  }

  /** The Status List Token (`statuslist+jwt`) the summaries point at. */
  statusListToken(): string {
    return this.list.token(this.key, this.statusUrl);
  }
}
