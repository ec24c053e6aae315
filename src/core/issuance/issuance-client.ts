/**
 * One OpenID4VCI issuance, protocol only (no storage): the issuer's metadata for an
 * offer, an access token for a grant, then each offered credential with a proof by
 * the holder key. The wallet flow (core/wallet/credential-issuance.ts) chooses the
 * key, verifies and keeps what comes back.
 */
import type { JwtSigner } from '../identity/jwt.ts';
import type { HttpFetcher } from '../ports.ts';
import type { CredentialOffer } from './credential-offer.ts';
import { requestCredential, requestNonce } from './credential-request.ts';
import { IssuanceError } from './issuance-error.ts';
import {
  authorizationServerOf,
  fetchAuthorizationServerMetadata,
  fetchIssuerMetadata,
  offeredConfiguration,
  type AuthorizationServerMetadata,
  type CredentialConfiguration,
  type IssuerMetadata,
} from './issuer-metadata.ts';
import { createProofJwt, type ProofKey } from './proof-jwt.ts';
import { requestAccessToken, type AccessToken, type TokenGrant } from './token-request.ts';

/** The formats verifyCredential reads. */
export const SUPPORTED_FORMATS = ['jwt_vc_json', 'vc+jwt', 'dc+sd-jwt'] as const;
/** The wallet's keys are Ed25519 (JOSE names the algorithm EdDSA, or Ed25519 since RFC 9864). */
const OUR_ALGS = ['EdDSA', 'Ed25519'];

/** The key a credential is bound to: the pairwise DID of the issuer's origin. */
export interface HolderKey {
  signer: JwtSigner;
  /** The DID URL of the verification method. */
  kid: string;
  publicJwk: JsonWebKey;
}

export interface IssuedCredential {
  configurationId: string;
  credential: string;
}

/** The issuer's metadata, with every offered configuration present and in a format the wallet holds. */
export async function loadIssuer(fetcher: HttpFetcher, offer: CredentialOffer): Promise<IssuerMetadata> {
  const metadata = await fetchIssuerMetadata(fetcher, offer.credentialIssuer);
  for (const id of offer.configurationIds) {
    const configuration = offeredConfiguration(metadata, id);
    if (!(SUPPORTED_FORMATS as readonly string[]).includes(configuration.format)) {
      throw new IssuanceError(`The issuer offers ${id} as ${configuration.format || 'an unnamed format'}, which Tessera cannot hold (it holds ${SUPPORTED_FORMATS.join(', ')})`);
    }
  }
  return metadata;
}

/** The authorization server of the grant the offer names, and its metadata. */
export function loadAuthorizationServer(fetcher: HttpFetcher, metadata: IssuerMetadata, named: string | undefined): Promise<AuthorizationServerMetadata> {
  return fetchAuthorizationServerMetadata(fetcher, authorizationServerOf(metadata, named));
}

export async function redeemGrant(fetcher: HttpFetcher, server: AuthorizationServerMetadata, grant: TokenGrant): Promise<AccessToken> {
  return requestAccessToken(fetcher, server.tokenEndpoint, grant);
}

/** Each offered credential, in the offer's order. */
export async function fetchCredentials(
  fetcher: HttpFetcher,
  metadata: IssuerMetadata,
  configurationIds: string[],
  token: AccessToken,
  holder: HolderKey,
  options: { now: () => number; clientId?: string },
): Promise<IssuedCredential[]> {
  const issued: IssuedCredential[] = [];
  let tokenNonce = token.cNonce;
  for (const configurationId of configurationIds) {
    const configuration = offeredConfiguration(metadata, configurationId);
    const nonce = async (): Promise<string | undefined> => {
      if (metadata.nonceEndpoint) return requestNonce(fetcher, metadata.nonceEndpoint);
      const given = tokenNonce;
      tokenNonce = undefined;
      return given;
    };
    const proof = async () => (needsProof(configuration) ? proofFor(configuration, holder, metadata.credentialIssuer, await nonce(), options) : null);
    // One request per credential identifier the token response named, else one by configuration id.
    const identifiers: (string | undefined)[] = token.credentialIdentifiers?.[configurationId] ?? [undefined];
    for (const credentialIdentifier of identifiers) {
      const request = { credentialEndpoint: metadata.credentialEndpoint, accessToken: token.accessToken, configurationId, credentialIdentifier };
      let answer = await requestCredential(fetcher, { ...request, proof: await proof() });
      // §8.3.1.2: a stale nonce is answered with invalid_nonce; one retry with a fresh one.
      if ('invalidNonce' in answer) {
        if (!metadata.nonceEndpoint) throw new IssuanceError('The issuer refused the proof\'s nonce (invalid_nonce) and has no nonce endpoint for a fresh one');
        answer = await requestCredential(fetcher, { ...request, proof: await proof() });
        if ('invalidNonce' in answer) throw new IssuanceError('The issuer refused the proof\'s nonce twice (invalid_nonce)');
      }
      for (const credential of answer.credentials) issued.push({ configurationId, credential });
    }
  }
  return issued;
}

const needsProof = (configuration: CredentialConfiguration) => configuration.proofAlgs !== null || configuration.bindingMethods.length > 0;

async function proofFor(
  configuration: CredentialConfiguration,
  holder: HolderKey,
  credentialIssuer: string,
  nonce: string | undefined,
  options: { now: () => number; clientId?: string },
): Promise<string> {
  if (configuration.proofAlgs !== null && configuration.proofAlgs.length > 0 && !configuration.proofAlgs.some((a) => OUR_ALGS.includes(a))) {
    throw new IssuanceError(`The issuer accepts proofs signed with ${configuration.proofAlgs.join(', ')} only; Tessera's keys sign EdDSA (Ed25519)`);
  }
  const methods = configuration.bindingMethods;
  const byDid = methods.length === 0 || methods.some((m) => m === 'did' || m === 'did:key');
  if (!byDid && !methods.includes('jwk')) {
    throw new IssuanceError(`The issuer binds credentials to ${methods.join(', ')} only; Tessera binds to did:key or a JWK`);
  }
  const key: ProofKey = byDid ? { kid: holder.kid } : { jwk: holder.publicJwk };
  return createProofJwt(holder.signer, key, {
    credentialIssuer,
    nonce,
    issuedAt: Math.floor(options.now() / 1000),
    clientId: options.clientId,
  });
}
