import { describe, expect, it } from 'vitest';
import { methodHarness } from '../../../test/support/method-harness.ts';
import { walletAccessData } from './wallet_accessData.ts';

describe('wallet_accessData', () => {
  it('checks params, and answers an unknown grant as unauthorized without a prompt', async () => {
    const { call, ports } = await methodHarness();
    await expect(call(walletAccessData, { grantId: 'g', nonce: 'access-nonce-1' })).rejects.toThrow('params.grantId');
    await expect(call(walletAccessData, { grantId: 'unknown-grant-id' })).rejects.toThrow('params.nonce: is required');
    await expect(call(walletAccessData, { grantId: 'unknown-grant-id', nonce: 'access-nonce-1' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(ports.presenter.opened).toEqual([]);
  });
});
