/**
 * How a credential is shown: names, colours, logo and claim labels, per locale, as
 * its issuer publishes them — SD-JWT VC Type Metadata (`vct` metadata) or OpenID4VCI
 * issuer metadata (`credential_configurations_supported[…].credential_metadata`).
 * Kept with the credential record so that showing it never fetches anything (a logo
 * is stored as a data: URI, fetched once when the credential was received).
 */
export interface CredentialDisplay {
  /** Where the display came from; type metadata wins over issuer metadata when both exist. */
  source: 'type-metadata' | 'issuer-metadata';
  /** One entry per locale (BCP 47 tag; absent = any language). */
  cards: CredentialCardDisplay[];
  /** Labels per claim path (the DCQL/SD-JWT VC path: strings for keys, numbers for indices, null for all elements). */
  claims: ClaimDisplay[];
  /** The type's URI (`vct`) and the integrity its metadata was checked against, when from type metadata. */
  vct?: string;
  integrity?: string;
}

export interface CredentialCardDisplay {
  locale?: string;
  name: string;
  description?: string;
  /** CSS colours as published (checked to be a colour before use). */
  backgroundColor?: string;
  textColor?: string;
  logo?: DisplayImage;
}

export interface DisplayImage {
  /** A data: URI of a PNG, JPEG, GIF, WebP or SVG image (never a remote URL). */
  dataUri: string;
  alt?: string;
}

export interface ClaimDisplay {
  path: (string | number | null)[];
  labels: { locale?: string; label: string; description?: string }[];
  /** SD-JWT VC Type Metadata's selective-disclosure rule for this claim. */
  sd?: 'always' | 'allowed' | 'never';
}

/** The issuer's own display (OpenID4VCI `display` of the credential issuer metadata). */
export interface IssuerDisplay {
  locale?: string;
  name: string;
  logo?: DisplayImage;
}
