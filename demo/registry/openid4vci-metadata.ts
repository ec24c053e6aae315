/**
 * What the registry publishes for OpenID4VCI 1.0: its credential issuer metadata
 * (§12.2: endpoints, display, the three credential configurations with their
 * display and claim labels in English and French) and its authorization server
 * metadata (RFC 8414). The registry is its own authorization server, so both
 * identifiers are its origin.
 */
import { PID_VCT, RESIDENT_TYPE } from './issuer.ts';
import { PROOF_ALGS } from './openid4vci-proof.ts';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const ISSUER_NAME = 'Aldmere Civic Registry';
export const LOGO_PATH = '/openid4vci/logo.svg';

export const RESIDENT_JWT_VC = 'resident_card_jwt_vc_json';
export const RESIDENT_VCDM2 = 'resident_card_vc_jwt';
export const PID_SD_JWT = 'pid_sd_jwt';
export const CONFIGURATION_IDS = [RESIDENT_JWT_VC, RESIDENT_VCDM2, PID_SD_JWT] as const;
export type ConfigurationId = (typeof CONFIGURATION_IDS)[number];

export const isConfigurationId = (id: unknown): id is ConfigurationId => (CONFIGURATION_IDS as readonly unknown[]).includes(id);

/** The OAuth scope of each configuration (for wallets that ask by scope). */
export const SCOPES: Record<ConfigurationId, string> = {
  [RESIDENT_JWT_VC]: 'aldmere_resident_card',
  [RESIDENT_VCDM2]: 'aldmere_resident_card_vcdm2',
  [PID_SD_JWT]: 'aldmere_pid',
};

type Labels = [en: string, fr: string];
const label = ([en, fr]: Labels) => [
  { name: en, locale: 'en' },
  { name: fr, locale: 'fr' },
];

const RESIDENT_CLAIMS: [string[], Labels][] = [
  [['given_name'], ['Given name', 'Prénom']],
  [['family_name'], ['Family name', 'Nom de famille']],
  [['birthdate'], ['Date of birth', 'Date de naissance']],
  [['age_over_18'], ['Over 18', 'Majeur']],
  [['address', 'street_address'], ['Street address', 'Adresse']],
  [['address', 'locality'], ['Town', 'Localité']],
  [['address', 'postal_code'], ['Postal code', 'Code postal']],
];

const PID_CLAIMS: [(string | null)[], Labels][] = [
  [['given_name'], ['Given name', 'Prénom']],
  [['family_name'], ['Family name', 'Nom de famille']],
  [['birthdate'], ['Date of birth', 'Date de naissance']],
  [['age_over_18'], ['Over 18', 'Majeur']],
  [['nationalities'], ['Nationalities', 'Nationalités']],
];

function cards(origin: string, [en, fr]: Labels, [enDescription, frDescription]: Labels) {
  const logo = { uri: `${origin}${LOGO_PATH}`, alt_text: 'Crest of the Aldmere Civic Registry' };
  const colours = { background_color: '#6b2438', text_color: '#f6efe2' };
  return [
    { name: en, locale: 'en', description: enDescription, logo, ...colours },
    { name: fr, locale: 'fr', description: frDescription, logo, ...colours },
  ];
}

const proofTypes = { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGS] } };

export function credentialIssuerMetadata(origin: string) {
  const residentDisplay = cards(origin, ['Resident card', 'Carte de résident'], [
    'Proof of residence in Aldmere',
    'Preuve de résidence à Aldmere',
  ]);
  const w3cClaims = RESIDENT_CLAIMS.map(([path, labels]) => ({ path: ['credentialSubject', ...path], display: label(labels) }));
  return {
    credential_issuer: origin,
    authorization_servers: [origin],
    credential_endpoint: `${origin}/openid4vci/credential`,
    nonce_endpoint: `${origin}/openid4vci/nonce`,
    display: [
      { name: ISSUER_NAME, locale: 'en', logo: { uri: `${origin}${LOGO_PATH}`, alt_text: 'Crest of the Aldmere Civic Registry' } },
      { name: 'Registre civil d’Aldmere', locale: 'fr', logo: { uri: `${origin}${LOGO_PATH}`, alt_text: 'Blason du Registre civil d’Aldmere' } },
    ],
    credential_configurations_supported: {
      [RESIDENT_JWT_VC]: {
        format: 'jwt_vc_json',
        scope: SCOPES[RESIDENT_JWT_VC],
        cryptographic_binding_methods_supported: ['did:key'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: proofTypes,
        credential_definition: { type: ['VerifiableCredential', RESIDENT_TYPE] },
        credential_metadata: { display: residentDisplay, claims: w3cClaims },
      },
      [RESIDENT_VCDM2]: {
        format: 'vc+jwt',
        scope: SCOPES[RESIDENT_VCDM2],
        cryptographic_binding_methods_supported: ['did:key'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: proofTypes,
        credential_definition: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential', RESIDENT_TYPE] },
        credential_metadata: {
          display: cards(origin, ['Resident card (VC 2.0)', 'Carte de résident (VC 2.0)'], [
            'Proof of residence in Aldmere, W3C VC Data Model 2.0',
            'Preuve de résidence à Aldmere, modèle W3C VC 2.0',
          ]),
          claims: w3cClaims,
        },
      },
      [PID_SD_JWT]: {
        format: 'dc+sd-jwt',
        scope: SCOPES[PID_SD_JWT],
        vct: PID_VCT,
        cryptographic_binding_methods_supported: ['jwk'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: proofTypes,
        credential_metadata: {
          display: cards(origin, ['Personal ID (PID)', 'Pièce d’identité (PID)'], [
            'Your identity, shown claim by claim',
            'Votre identité, donnée par donnée',
          ]),
          claims: PID_CLAIMS.map(([path, labels]) => ({ path, display: label(labels) })),
        },
      },
    },
  };
}

export function authorizationServerMetadata(origin: string) {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/openid4vci/authorize`,
    token_endpoint: `${origin}/openid4vci/token`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', PRE_AUTHORIZED_GRANT],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    authorization_details_types_supported: ['openid_credential'],
    scopes_supported: Object.values(SCOPES),
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
