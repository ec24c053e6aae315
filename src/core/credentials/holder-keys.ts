import { fromHex, toBase64Url } from '../encoding.ts';
import type { PairwiseIdentities, PairwiseRecord } from '../identity/pairwise.ts';
import type { HolderBinding, HolderKeys } from './types.ts';

/**
 * The wallet keys a credential may be bound to: the pairwise DIDs (an issuer learns
 * one from a prior wallet_requestIdentity and binds the credential to it, by `sub`
 * or by `cnf`). Ed25519 keys; a `cnf.jwk` matches on the public key.
 *
 * Every DID of the wallet: for the holder's own imports (dashboard, agent store).
 */
export class WalletHolderKeys implements HolderKeys {
  constructor(private readonly pairwise: PairwiseIdentities) {}

  async byDid(did: string): Promise<HolderBinding | null> {
    return matchDid(await this.pairwise.list(), did);
  }

  async byJwk(jwk: JsonWebKey): Promise<HolderBinding | null> {
    return matchJwk(await this.pairwise.list(), jwk);
  }
}

/**
 * Only the offering origin's own pairwise DID and key (DESIGN.md §3.2, site offers).
 * Matching every origin's DIDs would let a site learn, from whether its offer opens a
 * window, that the wallet holds a DID it saw elsewhere — so a site's offer binds to
 * the DID that site was given, or to nothing.
 */
export class OriginHolderKeys implements HolderKeys {
  constructor(
    private readonly pairwise: PairwiseIdentities,
    private readonly origin: string,
  ) {}

  async byDid(did: string): Promise<HolderBinding | null> {
    return matchDid(await this.own(), did);
  }

  async byJwk(jwk: JsonWebKey): Promise<HolderBinding | null> {
    return matchJwk(await this.own(), jwk);
  }

  private async own(): Promise<PairwiseRecord[]> {
    const site = await this.pairwise.find(this.origin);
    return site ? [site] : [];
  }
}

function matchDid(sites: PairwiseRecord[], did: string): HolderBinding | null {
  const site = sites.find((p) => p.did === did);
  return site ? binding(site) : null;
}

function matchJwk(sites: PairwiseRecord[], jwk: JsonWebKey): HolderBinding | null {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return null;
  const site = sites.find((p) => toBase64Url(fromHex(p.keyRef)) === jwk.x);
  return site ? binding(site) : null;
}

const binding = (site: PairwiseRecord): HolderBinding => ({ did: site.did, kid: site.kid, keyRef: site.keyRef });
