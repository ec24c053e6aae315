/**
 * The ferry issuer's metadata, made and validated by the library
 * (Openid4vciIssuer.createCredentialIssuerMetadata, Oauth2AuthorizationServer.createAuthorizationServerMetadata),
 * and its one page: a fresh pre-authorized offer as a link and as text.
 */
import type { Openid4vciIssuer } from '@openid4vc/openid4vci';
import type { Oauth2AuthorizationServer } from '@openid4vc/oauth2';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const FERRY_NAME = 'Aldmere Ferry Company';
export const FERRY_CONFIGURATION = 'ferry_pass_sd_jwt';
export const FERRY_VCT = 'urn:aldmere:ferry-pass:1';
export const FERRY_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#14506b"/><path d="M5 19h22l-3 5H8zm5-2V9h8l5 8z" fill="#eaf6fb"/></svg>`;

export function ferryIssuerMetadata(issuer: Openid4vciIssuer, authorizationServer: Oauth2AuthorizationServer, origin: string) {
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: origin,
    credential_endpoint: `${origin}/credential`,
    nonce_endpoint: `${origin}/nonce`,
    authorization_servers: [origin],
    display: [{ name: FERRY_NAME, locale: 'en', logo: { uri: `${origin}/logo.svg`, alt_text: 'A ferry' } }],
    credential_configurations_supported: {
      [FERRY_CONFIGURATION]: {
        format: 'dc+sd-jwt',
        vct: FERRY_VCT,
        scope: 'ferry_pass',
        cryptographic_binding_methods_supported: ['jwk'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } },
        credential_metadata: {
          display: [{ name: 'Ferry pass', locale: 'en', background_color: '#14506b', text_color: '#eaf6fb' }],
          claims: [
            { path: ['route'], display: [{ name: 'Route', locale: 'en' }] },
            { path: ['fare_class'], display: [{ name: 'Fare class', locale: 'en' }] },
            { path: ['valid_days'], display: [{ name: 'Valid for (days)', locale: 'en' }] },
          ],
        },
      },
    },
  });
  const server = authorizationServer.createAuthorizationServerMetadata({
    issuer: origin,
    token_endpoint: `${origin}/token`,
    jwks_uri: `${origin}/jwks.json`,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    'pre-authorized_grant_anonymous_access_supported': true,
  });
  return {
    credentialIssuer,
    authorizationServers: [server],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function offerPage(offer: { uri: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${FERRY_NAME} — ferry pass</title>
<link rel="icon" href="/logo.svg"><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#0d2f3f}
textarea{width:100%;font:inherit;font-size:.8rem}</style></head><body>
<h1><img src="/logo.svg" alt="" width="32" height="32"> ${FERRY_NAME}</h1>
<p>Your resident ferry pass, issued over OpenID4VCI by an issuer built on the community <code>@openid4vc/openid4vci</code> library.</p>
<p><a data-testid="library-offer-link" href="${escape(offer.uri)}">Open in my wallet</a></p>
<textarea readonly rows="4" data-testid="library-offer-uri" aria-label="Offer to paste into a wallet">${escape(offer.uri)}</textarea>
</body></html>`;
}
