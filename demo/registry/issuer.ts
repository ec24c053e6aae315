/**
 * The Aldmere Civic Registry as an issuer: its own Ed25519 did:key, the two
 * credentials it issues to a resident's wallet, and the two status lists that say
 * whether they are still valid.
 *
 * - Resident credential: a VC Data Model 1.1 JWT (`jwt_vc_json`) made with `did-jwt-vc`,
 *   `sub` = the holder's DID, status in a W3C Bitstring Status List (`/status/revocation`).
 * - PID: an SD-JWT VC (`dc+sd-jwt`) made with `@sd-jwt/sd-jwt-vc`, bound to the holder's
 *   key by `cnf.jwk`, every personal claim selectively disclosable, status in an IETF
 *   Token Status List (`/status/token`).
 *
 * Nothing here knows about the wallet: it issues to whatever DID a verified login names.
 */
import { randomUUID } from 'node:crypto';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, type JwtCredentialPayload } from 'did-jwt-vc';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { createEd25519Did, jwkFromDidKey, signCompactJws, type Ed25519Did } from './did-key.ts';
import { BitstringStatusList, TokenStatusList } from '../status-lists.ts';

export { BITSTRING_BYTES, BITSTRING_TTL_MS, TOKEN_LIST_BYTES, TOKEN_TTL_SECONDS } from '../status-lists.ts';

export const PID_VCT = 'urn:eudi:pid:1';
export const RESIDENT_TYPE = 'ResidentCredential';

export type CredentialKind = 'resident' | 'pid';
export type StatusListKind = 'revocation' | 'token';

export interface ResidentData {
  given_name: string;
  family_name: string;
  /** YYYY-MM-DD */
  birthdate: string;
  address: { street_address: string; locality: string; postal_code: string };
  nationalities: string[];
}

export const DEMO_RESIDENT: ResidentData = {
  given_name: 'Mara',
  family_name: 'Quillfeather',
  birthdate: '1994-03-17',
  address: { street_address: '12 Lantern Row', locality: 'Aldmere', postal_code: 'AL-4021' },
  nationalities: ['AL'],
};

export interface IssuedCredential {
  id: string;
  kind: CredentialKind;
  format: 'jwt_vc_json' | 'vc+jwt' | 'dc+sd-jwt';
  holder: string;
  credential: string;
  statusList: StatusListKind;
  statusIndex: number;
  statusUrl: string;
  issuedAt: string;
  revoked: boolean;
}

/** Whole years between a YYYY-MM-DD birthdate and `now`. */
export function ageOn(birthdate: string, now = new Date()): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  if (!match) throw new Error('birthdate must be YYYY-MM-DD');
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age -= 1;
  return age;
}

export interface RegistryIssuerOptions {
  /** The origin the status lists are published at, e.g. http://127.0.0.1:PORT. */
  origin: string;
  /** Default: a fresh key. */
  key?: Ed25519Did;
  name?: string;
}

export class RegistryIssuer {
  readonly key: Ed25519Did;
  readonly name: string;
  readonly origin: string;
  readonly issued: IssuedCredential[] = [];
  private readonly lists = { revocation: new BitstringStatusList(), token: new TokenStatusList() };

  constructor(options: RegistryIssuerOptions) {
    this.key = options.key ?? createEd25519Did();
    this.name = options.name ?? 'Aldmere Civic Registry';
    this.origin = options.origin;
  }

  get did(): string {
    return this.key.did;
  }

  get kid(): string {
    return this.key.kid;
  }

  statusUrl(list: StatusListKind): string {
    return `${this.origin}/status/${list}`;
  }

  /** Issues both credentials to `holderDid` (an Ed25519 did:key of the wallet). */
  async issueAll(holderDid: string, data: ResidentData = DEMO_RESIDENT): Promise<IssuedCredential[]> {
    return [await this.issueResident(holderDid, data), await this.issuePid(holderDid, data)];
  }

  async issueResident(holderDid: string, data: ResidentData = DEMO_RESIDENT): Promise<IssuedCredential> {
    const index = this.allocate('revocation');
    const statusUrl = this.statusUrl('revocation');
    const now = Math.floor(Date.now() / 1000);
    const payload: JwtCredentialPayload = {
      sub: holderDid,
      nbf: now,
      exp: now + 365 * 24 * 3600,
      jti: `urn:uuid:${randomUUID()}`,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', RESIDENT_TYPE],
        credentialSubject: {
          given_name: data.given_name,
          family_name: data.family_name,
          birthdate: data.birthdate,
          age_over_18: ageOn(data.birthdate) >= 18,
          address: { ...data.address },
        },
        // did-jwt-vc's type knows only { id, type }; the entry's other members are W3C Bitstring Status List's.
        credentialStatus: this.lists.revocation.entry(statusUrl, index) as { id: string; type: string },
      },
    };
    const credential = await createVerifiableCredentialJwt(
      payload,
      { did: this.did, signer: EdDSASigner(this.key.secretKey), alg: 'EdDSA' },
      { header: { alg: 'EdDSA', kid: this.kid, typ: 'JWT' } },
    );
    return this.record('resident', 'jwt_vc_json', holderDid, credential, 'revocation', index);
  }

  /** The resident card as a W3C VC Data Model 2.0 credential secured as a JWT (`vc+jwt`, VC-JOSE-COSE: the payload is the credential). */
  async issueResidentVcdm2(holderDid: string, data: ResidentData = DEMO_RESIDENT): Promise<IssuedCredential> {
    const index = this.allocate('revocation');
    const statusUrl = this.statusUrl('revocation');
    const now = Math.floor(Date.now() / 1000);
    const credential = signCompactJws(
      this.key,
      { typ: 'vc+jwt', kid: this.kid },
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: `urn:uuid:${randomUUID()}`,
        type: ['VerifiableCredential', RESIDENT_TYPE],
        issuer: this.did,
        validFrom: new Date(now * 1000).toISOString(),
        validUntil: new Date((now + 365 * 24 * 3600) * 1000).toISOString(),
        credentialSubject: {
          id: holderDid,
          given_name: data.given_name,
          family_name: data.family_name,
          birthdate: data.birthdate,
          age_over_18: ageOn(data.birthdate) >= 18,
          address: { ...data.address },
        },
        credentialStatus: this.lists.revocation.entry(statusUrl, index),
        iat: now,
      },
    );
    return this.record('resident', 'vc+jwt', holderDid, credential, 'revocation', index);
  }

  /** `cnfJwk`: the holder's public key when it is not an Ed25519 did:key (default: derived from `holderDid`). */
  async issuePid(holderDid: string, data: ResidentData = DEMO_RESIDENT, cnfJwk?: object): Promise<IssuedCredential> {
    const index = this.allocate('token');
    const statusUrl = this.statusUrl('token');
    const now = Math.floor(Date.now() / 1000);
    const sdjwt = new SDJwtVcInstance({
      signer: (input: string) => this.key.sign(input),
      signAlg: 'EdDSA',
      hasher: digest,
      hashAlg: 'sha-256',
      saltGenerator: generateSalt,
    });
    const credential = await sdjwt.issue(
      {
        iss: this.did,
        iat: now,
        nbf: now,
        exp: now + 365 * 24 * 3600,
        vct: PID_VCT,
        cnf: { jwk: cnfJwk ?? jwkFromDidKey(holderDid) },
        status: { status_list: { idx: index, uri: statusUrl } },
        given_name: data.given_name,
        family_name: data.family_name,
        birthdate: data.birthdate,
        age_over_18: ageOn(data.birthdate) >= 18,
        nationalities: [...data.nationalities],
      },
      { _sd: ['given_name', 'family_name', 'birthdate', 'age_over_18', 'nationalities'] },
      { header: { kid: this.kid } },
    );
    return this.record('pid', 'dc+sd-jwt', holderDid, credential, 'token', index);
  }

  /**
   * Sets a credential's bit: revoked for good (a revocation is not reversible, per the
   * W3C Bitstring Status List's `revocation` purpose and the Token Status List's
   * INVALID). False if the index was never issued.
   */
  revoke(list: StatusListKind, index: number): boolean {
    if (!this.lists[list].revoke(index)) return false;
    for (const c of this.issued) if (c.statusList === list && c.statusIndex === index) c.revoked = true;
    return true;
  }

  isRevoked(list: StatusListKind, index: number): boolean {
    return this.lists[list].isRevoked(index);
  }

  /** The W3C BitstringStatusListCredential, as a VC-JWT signed by the registry. */
  bitstringStatusListCredential(): Promise<string> {
    return this.lists.revocation.credential(this.key, this.statusUrl('revocation'));
  }

  /** The IETF Status List Token (`statuslist+jwt`) for the PID credentials. */
  tokenStatusList(): string {
    return this.lists.token.token(this.key, this.statusUrl('token'));
  }

  private allocate(list: StatusListKind): number {
    return this.lists[list].allocate();
  }

  private record(
    kind: CredentialKind,
    format: IssuedCredential['format'],
    holder: string,
    credential: string,
    statusList: StatusListKind,
    statusIndex: number,
  ): IssuedCredential {
    const issued: IssuedCredential = {
      id: randomUUID(),
      kind,
      format,
      holder,
      credential,
      statusList,
      statusIndex,
      statusUrl: this.statusUrl(statusList),
      issuedAt: new Date().toISOString(),
      revoked: false,
    };
    this.issued.push(issued);
    return issued;
  }
}
