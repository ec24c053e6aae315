import { describe, expect, it } from 'vitest';
import { approveNext, methodHarness, SITE } from '../../../test/support/method-harness.ts';
import { walletGetGrants } from './wallet_getGrants.ts';
import { walletRequestIdentity } from './wallet_requestIdentity.ts';

describe('wallet_getGrants', () => {
  it("lists the caller's own grants only, and takes no params", async () => {
    const { call, wallet, ports } = await methodHarness();
    const login = call(walletRequestIdentity, { nonce: 'abcdefgh1' });
    await approveNext(wallet, ports);
    await login;
    expect(await call(walletGetGrants, undefined)).toMatchObject([{ kind: 'identity', status: 'active', receipt: null }]);
    expect(await call(walletGetGrants, undefined, 'http://localhost:8080')).toEqual([]);
    await expect(call(walletGetGrants, { origin: SITE })).rejects.toThrow('Invalid params: params: must be absent');
  });
});
