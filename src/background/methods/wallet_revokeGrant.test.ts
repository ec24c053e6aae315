import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/errors.ts';
import { approveNext, methodHarness } from '../../../test/support/method-harness.ts';
import { walletGetGrants } from './wallet_getGrants.ts';
import { walletRequestIdentity } from './wallet_requestIdentity.ts';
import { walletRevokeGrant } from './wallet_revokeGrant.ts';

describe('wallet_revokeGrant', () => {
  it('ends the caller\'s own grant; another site\'s id is refused like an unknown one', async () => {
    const { call, wallet, ports } = await methodHarness();
    const login = call(walletRequestIdentity, { nonce: 'abcdefgh1' });
    await approveNext(wallet, ports);
    await login;
    const [grant] = (await call(walletGetGrants, undefined)) as { id: string }[];
    const foreign = await call(walletRevokeGrant, { grantId: grant!.id }, 'http://localhost:8080').catch((e: unknown) => e);
    expect(isDomainError(foreign) && foreign.code).toBe('unauthorized');
    expect(await call(walletRevokeGrant, { grantId: grant!.id })).toEqual({ revoked: true });
    await expect(call(walletRevokeGrant, { grantId: 'x' })).rejects.toThrow('params.grantId');
  });
});
