import { describe, expect, it } from 'vitest';
import { methodHarness } from '../../../test/support/method-harness.ts';
import { walletRequestCredentials } from './wallet_requestCredentials.ts';

describe('wallet_requestCredentials', () => {
  it('answers a protocol error as invalid_request without a window', async () => {
    const { call, ports } = await methodHarness();
    const answer = await call(walletRequestCredentials, { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'n-12345678', dcql_query: { credentials: [] } });
    expect(answer).toMatchObject({ error: 'invalid_request' });
    expect(ports.presenter.opened).toEqual([]);
    await expect(call(walletRequestCredentials, ['not', 'an', 'object'])).rejects.toThrow('Invalid params');
  });
});
