import { describe, expect, it } from 'vitest';
import { methodHarness } from '../../../test/support/method-harness.ts';
import { walletRequestDataAccess } from './wallet_requestDataAccess.ts';

const valid = {
  purpose: 'dpv:ServiceProvision',
  dcql_query: { credentials: [{ id: 'residency', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] },
  nonce: 'library-nonce-1',
  duration_days: 365,
};

describe('wallet_requestDataAccess', () => {
  it('names the field of bad params and of unknown purposes, opening nothing', async () => {
    const { call, ports } = await methodHarness();
    await expect(call(walletRequestDataAccess, { ...valid, duration_days: 0 })).rejects.toThrow('Invalid params: params.duration_days: must be at least 1');
    await expect(call(walletRequestDataAccess, { ...valid, duration_days: 3651 })).rejects.toThrow('params.duration_days: must be at most 3650');
    await expect(call(walletRequestDataAccess, { ...valid, purpose: 'dpv:Everything' })).rejects.toThrow('params.purpose: unknown purpose term dpv:Everything');
    await expect(call(walletRequestDataAccess, { ...valid, extra: 1 })).rejects.toThrow('params.extra: is not an accepted field');
    expect(ports.presenter.opened).toEqual([]);
  });

  it('asks the user: a declined request is user_rejected', async () => {
    const { call, wallet, ports } = await methodHarness();
    const answer = call(walletRequestDataAccess, valid).catch((e: unknown) => e);
    await wallet.desk.resolve(await ports.presenter.nextApproval(), 'reject');
    expect(await answer).toMatchObject({ code: 'user_rejected' });
  });
});
