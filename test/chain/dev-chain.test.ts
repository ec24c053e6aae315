/** startDevChain's life cycle: what it returns, a busy port, and a stop that leaves nothing listening. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, http } from 'viem';
import { getBalance, getChainId, getCode } from 'viem/actions';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';

let devChain: DevChain;

beforeAll(async () => {
  devChain = await startDevChain();
}, 120_000);

afterAll(async () => {
  await devChain?.stop();
});

describe('startDevChain', () => {
  it('answers on 127.0.0.1 with chain id 31337 and has TesseraAnchor deployed by Hardhat account 0', async () => {
    expect(devChain.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createClient({ transport: http(devChain.rpcUrl) });
    expect(await getChainId(client)).toBe(31337);
    expect(devChain.chainId).toBe(31337);
    expect(devChain.deployer).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(devChain.contract).toMatch(/^0x[0-9a-f]{40}$/);
    expect((await getCode(client, { address: devChain.contract }))?.length).toBeGreaterThan(2);
  });

  it('funds an address with exactly the amount asked, also several at once', async () => {
    const client = createClient({ transport: http(devChain.rpcUrl) });
    const addresses = [1, 2, 3].map(() => privateKeyToAccount(generatePrivateKey()).address);
    await Promise.all(addresses.map((address, i) => devChain.fund(address, BigInt(i + 1) * 10n ** 15n)));
    expect(await Promise.all(addresses.map((address) => getBalance(client, { address })))).toEqual([1n, 2n, 3n].map((n) => n * 10n ** 15n));
  });

  it('refuses a port already in use, naming it, instead of using whatever listens there', async () => {
    const port = Number(new URL(devChain.rpcUrl).port);
    await expect(startDevChain({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('stop() ends the node: exited resolves, the port refuses connections, a second stop() is harmless', async () => {
    const other = await startDevChain();
    await other.stop();
    await expect(other.exited).resolves.toBeUndefined();
    await expect(fetch(other.rpcUrl, { method: 'POST', body: '{}' })).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await other.stop();
  }, 120_000);

  it('stop() also ends a paused node', async () => {
    const other = await startDevChain();
    other.pause();
    await other.stop();
    await expect(other.exited).resolves.toBeUndefined();
  }, 120_000);
});
