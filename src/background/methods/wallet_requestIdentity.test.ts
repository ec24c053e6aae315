import { describe, expect, it } from 'vitest';
import { approveNext, methodHarness } from '../../../test/support/method-harness.ts';
import { walletRequestIdentity } from './wallet_requestIdentity.ts';

describe('wallet_requestIdentity', () => {
  it('refuses params without a usable nonce, naming the field, before anything opens', async () => {
    const { call, ports } = await methodHarness();
    await expect(call(walletRequestIdentity, { nonce: 'short' })).rejects.toThrow('Invalid params: params.nonce: must be at least 8 characters');
    await expect(call(walletRequestIdentity, { nonce: 'abcdefgh1', origin: 'https://bank.example' })).rejects.toThrow('params.origin');
    expect(ports.presenter.opened).toEqual([]);
  });

  it('asks the identity flow, then answers with the pairwise DID', async () => {
    const { call, wallet, ports } = await methodHarness();
    const answer = call(walletRequestIdentity, { nonce: 'abcdefgh1' });
    await approveNext(wallet, ports);
    expect(await answer).toMatchObject({ did: expect.stringMatching(/^did:key:/) });
  });
});
