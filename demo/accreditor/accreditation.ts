/**
 * The accreditation body as an issuer (DESIGN.md §8, /tmp/research contract): its own
 * Ed25519 did:key, the ResearchAccreditation JWT VCs it issues to research institutions'
 * DIDs (VC Data Model 1.1, `jwt_vc_json`, made with did-jwt-vc, shaped on GA4GH Passport
 * visas), and the W3C Bitstring Status List that says whether each still holds.
 *
 * What the body accredits is what the institution applied for (`AccreditationSubject`):
 * it checks the application's form here, not its merits.
 */
import { randomUUID } from 'node:crypto';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, type JwtCredentialPayload } from 'did-jwt-vc';
import { createEd25519Did, type Ed25519Did } from '../registry/did-key.ts';
import { BitstringStatusList } from '../status-lists.ts';
import { accreditationSubjectFrom, type AccreditationSubject } from './application.ts';

export type { AccreditationSubject, AccreditedStudy } from './application.ts';
export const ACCREDITATION_TYPE = 'ResearchAccreditation';
export const ACCREDITOR_NAME = 'Aldmere Research Ethics Board';
const YEAR_MS = 365 * 86_400_000;

/** When an accreditation holds (its JWT `nbf` and `exp`); default from now for a year. */
export interface AccreditationValidity {
  validFrom?: Date;
  validUntil?: Date;
}

export interface IssuedAccreditation {
  /** The credential's id: its `jti` is `urn:uuid:<id>`. */
  id: string;
  /** The research institution's DID (the credential's `sub`). */
  subjectDid: string;
  subject: AccreditationSubject;
  /** The compact JWT VC. */
  credential: string;
  statusIndex: number;
  statusUrl: string;
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  revoked: boolean;
}

export interface AccreditationBodyOptions {
  /** Where the body publishes, e.g. http://127.0.0.1:PORT: its status list is `<baseUrl>/status/revocation`. */
  baseUrl: string;
  /** Default: a fresh key. */
  key?: Ed25519Did;
  name?: string;
}

export class AccreditationBody {
  readonly key: Ed25519Did;
  readonly name: string;
  readonly baseUrl: string;
  readonly issued: IssuedAccreditation[] = [];
  private readonly list = new BitstringStatusList();

  constructor(options: AccreditationBodyOptions) {
    this.key = options.key ?? createEd25519Did();
    this.name = options.name ?? ACCREDITOR_NAME;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get did(): string {
    return this.key.did;
  }

  get kid(): string {
    return this.key.kid;
  }

  get statusUrl(): string {
    return `${this.baseUrl}/status/revocation`;
  }

  /** Accredits `subjectDid` for what `subject` describes; throws (issuing nothing) when the application is malformed. */
  async issue(subjectDid: string, subject: AccreditationSubject, validity: AccreditationValidity = {}): Promise<IssuedAccreditation> {
    if (typeof subjectDid !== 'string' || !/^did:[a-z0-9]+:\S+$/.test(subjectDid)) throw new Error('the subject must be a DID');
    const checked = accreditationSubjectFrom(subject);
    const from = validity.validFrom ?? new Date();
    const until = validity.validUntil ?? new Date(from.getTime() + YEAR_MS);
    if (Number.isNaN(from.getTime()) || Number.isNaN(until.getTime())) throw new Error('validFrom and validUntil must be dates');
    if (until.getTime() <= from.getTime()) throw new Error('validUntil must be after validFrom');
    const id = randomUUID();
    const index = this.list.allocate();
    const payload: JwtCredentialPayload = {
      sub: subjectDid,
      nbf: Math.floor(from.getTime() / 1000),
      exp: Math.floor(until.getTime() / 1000),
      jti: `urn:uuid:${id}`,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', ACCREDITATION_TYPE],
        issuer: this.did,
        credentialSubject: { id: subjectDid, ...checked },
        // did-jwt-vc's type knows only { id, type }; the entry's other members are W3C Bitstring Status List's.
        credentialStatus: this.list.entry(this.statusUrl, index) as { id: string; type: string },
      },
    };
    const credential = await createVerifiableCredentialJwt(
      payload,
      { did: this.did, signer: EdDSASigner(this.key.secretKey), alg: 'EdDSA' },
      { header: { alg: 'EdDSA', typ: 'JWT', kid: this.kid } },
    );
    const issued: IssuedAccreditation = {
      id,
      subjectDid,
      subject: checked,
      credential,
      statusIndex: index,
      statusUrl: this.statusUrl,
      issuedAt: new Date().toISOString(),
      validFrom: from.toISOString(),
      validUntil: until.toISOString(),
      revoked: false,
    };
    this.issued.push(issued);
    return issued;
  }

  find(id: string): IssuedAccreditation | undefined {
    return this.issued.find((a) => a.id === id || `urn:uuid:${a.id}` === id);
  }

  /** Revokes for good; false if the body issued no accreditation with that id. */
  revoke(id: string): boolean {
    const accreditation = this.find(id);
    if (!accreditation) return false;
    this.list.revoke(accreditation.statusIndex);
    accreditation.revoked = true;
    return true;
  }

  isRevoked(id: string): boolean {
    const accreditation = this.find(id);
    return accreditation !== undefined && this.list.isRevoked(accreditation.statusIndex);
  }

  /** The BitstringStatusListCredential the accreditations point at, signed by the body. */
  statusListCredential(): Promise<string> {
    return this.list.credential(this.key, this.statusUrl);
  }
}
