import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/errors.ts';
import { methodHarness } from '../../../test/support/method-harness.ts';
import { walletOfferCredential } from './wallet_offerCredential.ts';

describe('wallet_offerCredential', () => {
  it('checks params first, then gives every refused offer the same answer, opening nothing', async () => {
    const { call, ports } = await methodHarness();
    await expect(call(walletOfferCredential, { credential: '' })).rejects.toThrow('Invalid params: params.credential: must not be empty');
    const refused = await call(walletOfferCredential, { credential: 'not.a.credential' }).catch((e: unknown) => e);
    expect(isDomainError(refused) && [refused.code, refused.message]).toEqual(['invalid_credential', 'invalid credential']);
    expect(ports.presenter.opened).toEqual([]);
  });

  it('takes exactly one of credential or credential_offer; a malformed offer gets the same answer, opening nothing', async () => {
    const { call, ports } = await methodHarness();
    await expect(call(walletOfferCredential, { credential: 'a.b.c', credential_offer: 'x' })).rejects.toThrow(/Invalid params: params/);
    await expect(call(walletOfferCredential, { credential_offer: 5 })).rejects.toThrow('Invalid params: params.credential_offer: must be an offer URI or an offer object');
    await expect(call(walletOfferCredential, {})).rejects.toThrow('Invalid params: params.credential');
    for (const offer of ['openid-credential-offer://?nothing=1', { credential_issuer: 'https://192.168.0.1', credential_configuration_ids: ['a'] }]) {
      const refused = await call(walletOfferCredential, { credential_offer: offer }).catch((e: unknown) => e);
      expect(isDomainError(refused) && [refused.code, refused.message]).toEqual(['invalid_credential', 'invalid credential']);
    }
    expect(ports.presenter.opened).toEqual([]);
  });
});
