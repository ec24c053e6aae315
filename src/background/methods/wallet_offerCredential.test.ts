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
});
