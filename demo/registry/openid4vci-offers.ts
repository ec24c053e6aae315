/**
 * The registry's credential offers (OpenID4VCI 1.0 §4.1): a pre-authorized code
 * (optionally with a transaction code the page shows, as if sent by text message)
 * or an authorization code grant with issuer_state; passed by value
 * (`openid-credential-offer://?credential_offer=<json>`) or by reference
 * (`…?credential_offer_uri=<the registry's URL of it>`).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Openid4vciGrants } from './openid4vci-grants.ts';
import { PID_SD_JWT, PRE_AUTHORIZED_GRANT, RESIDENT_JWT_VC, RESIDENT_VCDM2, type ConfigurationId } from './openid4vci-metadata.ts';

export const OFFER_SCHEME = 'openid-credential-offer://';
export const OFFER_PATH = '/openid4vci/offers/';
export const OFFER_TTL_MS = 10 * 60_000;
export const TX_CODE_LENGTH = 6;

export interface CredentialOfferJson {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants: Record<string, unknown>;
}

export interface OfferRequest {
  configurationIds: ConfigurationId[];
  grant: 'pre-authorized' | 'authorization_code';
  /** Pre-authorized only: ask for a numeric transaction code. */
  txCode?: boolean;
  /** How the offer URI carries it. Default by reference. */
  by?: 'reference' | 'value';
}

export interface MadeOffer {
  offer: CredentialOfferJson;
  /** The openid-credential-offer:// URI (by value or by reference as asked). */
  uri: string;
  /** Where the offer is fetched, when by reference. */
  offerUri?: string;
  /** The transaction code, when one was asked for (the registry would send it out of band). */
  txCode?: string;
}

/** The four offers of the registry's OpenID4VCI page, each made fresh. */
export const DEMO_OFFERS: Record<string, OfferRequest & { title: string }> = {
  reference: { title: 'Resident card and PID — by reference', configurationIds: [RESIDENT_JWT_VC, PID_SD_JWT], grant: 'pre-authorized' },
  value: { title: 'Resident card (VC 2.0) — by value', configurationIds: [RESIDENT_VCDM2], grant: 'pre-authorized', by: 'value' },
  'tx-code': { title: 'PID — with a transaction code', configurationIds: [PID_SD_JWT], grant: 'pre-authorized', txCode: true },
  'auth-code': { title: 'Resident card — sign in at the registry', configurationIds: [RESIDENT_JWT_VC], grant: 'authorization_code' },
};

export class Openid4vciOffers {
  private readonly stored = new Map<string, { offer: CredentialOfferJson; expiresAt: number }>();

  constructor(
    private readonly origin: string,
    private readonly grants: Openid4vciGrants,
    private readonly now: () => number = Date.now,
  ) {}

  make(request: OfferRequest): MadeOffer {
    const grants: Record<string, unknown> = {};
    let txCode: string | undefined;
    if (request.grant === 'pre-authorized') {
      if (request.txCode) txCode = String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0');
      const grant: Record<string, unknown> = { 'pre-authorized_code': this.grants.createPreAuthorized(request.configurationIds, txCode) };
      if (txCode !== undefined) {
        grant.tx_code = { input_mode: 'numeric', length: TX_CODE_LENGTH, description: 'The 6-digit code the registry showed you (in real life: sent by text message)' };
      }
      grants[PRE_AUTHORIZED_GRANT] = grant;
    } else {
      grants.authorization_code = { issuer_state: this.grants.createIssuerState(request.configurationIds) };
    }
    const offer: CredentialOfferJson = { credential_issuer: this.origin, credential_configuration_ids: [...request.configurationIds], grants };
    const made: MadeOffer = { offer, uri: '' };
    if (txCode !== undefined) made.txCode = txCode;
    if (request.by === 'value') {
      made.uri = `${OFFER_SCHEME}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
    } else {
      const id = randomBytes(16).toString('base64url');
      this.sweep();
      this.stored.set(id, { offer, expiresAt: this.now() + OFFER_TTL_MS });
      made.offerUri = `${this.origin}${OFFER_PATH}${id}`;
      made.uri = `${OFFER_SCHEME}?credential_offer_uri=${encodeURIComponent(made.offerUri)}`;
    }
    return made;
  }

  /** The offer behind a by-reference URI path's id (§4.1.3), while fresh. */
  byId(id: string): CredentialOfferJson | undefined {
    this.sweep();
    return this.stored.get(id)?.offer;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.stored) if (entry.expiresAt <= now) this.stored.delete(id);
  }
}
