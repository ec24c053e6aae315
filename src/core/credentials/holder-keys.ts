import { fromHex, toBase64Url } from '../encoding.ts';
import type { PairwiseIdentities, PairwiseRecord } from '../identity/pairwise.ts';
import type { HolderBinding, HolderKeys } from './types.ts';

/**
 * The wallet keys a credential may be bound to: the pairwise DIDs (an issuer learns
 * one from a prior wallet_requestIdentity and binds the credential to it, by `sub`
 * or by `cnf`). Ed25519 keys; a `cnf.jwk` matches on the public key.
 */
export class WalletHolderKeys implements HolderKeys {
  constructor(private readonly pairwise: PairwiseIdentities) {}

  async byDid(did: string): Promise<HolderBinding | null> {
    const site = (await this.pairwise.list()).find((p) => p.did === did);
    return site ? binding(site) : null;
  }

  async byJwk(jwk: JsonWebKey): Promise<HolderBinding | null> {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return null;
    const site = (await this.pairwise.list()).find((p) => toBase64Url(fromHex(p.keyRef)) === jwk.x);
    return site ? binding(site) : null;
  }
}

const binding = (site: PairwiseRecord): HolderBinding => ({ did: site.did, kid: site.kid, keyRef: site.keyRef });
