import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { getAddress, keccak256, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARDHAT_ACCOUNT_0_PRIVATE_KEY, startDevChain, type DevChain } from '../../../scripts/lib/dev-chain.ts';
import { fromHex } from '../encoding.ts';
import type { AnchorChain, ChainTarget } from '../ports.ts';
import { createViemAnchorChain } from './viem-chain.ts';

const ONE_ETH = 10n ** 18n;
const bytes32 = (byte: number): Hex => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const keyBytes = (key: Hex) => fromHex(key.slice(2));
const freshKey = () => keyBytes(generatePrivateKey());

/** A JSON-RPC call straight to the node, for Hardhat's own methods (evm_setAutomine, evm_mine). */
async function rawRpc(rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

describe('viem anchor chain on the development chain', () => {
  let devChain: DevChain;
  let chain: AnchorChain;
  let target: ChainTarget;
  /** Addresses come back checksummed (EIP-55); the dev chain reports the contract in lower case. */
  let contract: Hex;
  const servers: (Server | TcpServer)[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    devChain = await startDevChain();
    chain = createViemAnchorChain();
    target = { rpcUrl: devChain.rpcUrl, contract: devChain.contract };
    contract = getAddress(devChain.contract);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await devChain?.stop();
  });

  /** A new account holding 1 ETH on the development chain. */
  async function fundedKey(): Promise<{ key: Uint8Array; address: Hex }> {
    const key = freshKey();
    const address = await chain.address(key);
    await devChain.fund(address, ONE_ETH);
    return { key, address };
  }

  it('derives the address of a secp256k1 key and refuses a key of the wrong length', async () => {
    // Hardhat's account 0: its key and address are published with Hardhat.
    expect(await chain.address(keyBytes(HARDHAT_ACCOUNT_0_PRIVATE_KEY))).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    await expect(chain.address(new Uint8Array(31))).rejects.toThrow(/private key is 32 bytes, not 31/);
  });

  it('reads the chain id, code and balances', async () => {
    expect(await chain.chainId(devChain.rpcUrl)).toBe(devChain.chainId);
    expect(await chain.hasCode(devChain.rpcUrl, devChain.contract)).toBe(true);
    expect(await chain.hasCode(devChain.rpcUrl, devChain.deployer)).toBe(false);
    const { address } = await fundedKey();
    expect(await chain.balance(devChain.rpcUrl, address)).toBe(ONE_ETH);
    expect(await chain.balance(devChain.rpcUrl, await chain.address(freshKey()))).toBe(0n);
  });

  it('signs an anchor before sending it, broadcasts it, and reads the mined Anchored event; a second broadcast of the same bytes is no second transaction', async () => {
    const { key, address } = await fundedKey();
    const logId = bytes32(0x11);
    const root = bytes32(0x22);
    const signed = await chain.prepare(target, devChain.chainId, key, { fn: 'anchor', logId, treeSize: 4096, root });
    expect(signed.nonce).toBe(0);
    expect(signed.txHash).toBe(keccak256(signed.raw));
    // Nothing was sent by prepare.
    expect(await chain.known(devChain.rpcUrl, signed.txHash)).toBe(false);
    expect(await chain.minedTransaction(devChain.rpcUrl, signed.txHash)).toBeNull();

    expect(await chain.broadcast(devChain.rpcUrl, signed.raw)).toBe(signed.txHash);
    const mined = await chain.minedTransaction(devChain.rpcUrl, signed.txHash);
    expect(mined).toMatchObject({ txHash: signed.txHash, status: 'success', from: address, to: contract, revoked: [] });
    expect(mined?.anchored).toEqual([{ contract, logId, treeSize: 4096, root }]);
    expect(mined?.blockNumber).toBeGreaterThan(0);
    // About 24,000 gas (DESIGN.md §6): more than a transfer, far less than a storage write would add.
    expect(mined?.gasUsed).toBeGreaterThan(21_000);
    expect(mined?.gasUsed).toBeLessThan(30_000);

    expect(await chain.broadcast(devChain.rpcUrl, signed.raw)).toBe(signed.txHash);
    const next = await chain.prepare(target, devChain.chainId, key, { fn: 'anchor', logId, treeSize: 4097, root });
    expect(next.nonce).toBe(1);
  });

  it('revokes: the mined Revoked event names the account, and revokedAt gives its block (0 for anyone else)', async () => {
    const { key, address } = await fundedKey();
    const receiptHash = bytes32(0x33);
    expect(await chain.revokedAt(target, address, receiptHash)).toBe(0);
    const signed = await chain.prepare(target, devChain.chainId, key, { fn: 'revoke', receiptHash });
    await chain.broadcast(devChain.rpcUrl, signed.raw);
    const mined = await chain.minedTransaction(devChain.rpcUrl, signed.txHash);
    expect(mined).toMatchObject({ status: 'success', from: address, anchored: [] });
    expect(mined?.revoked).toEqual([{ contract, by: address, receiptHash }]);
    expect(await chain.revokedAt(target, address, receiptHash)).toBe(mined?.blockNumber);
    expect(await chain.revokedAt(target, devChain.deployer, receiptHash)).toBe(0);
    await expect(chain.revokedAt({ rpcUrl: devChain.rpcUrl, contract: devChain.deployer }, address, receiptHash)).rejects.toThrow(
      `There is no TesseraAnchor at ${devChain.deployer} on the chain at ${devChain.rpcUrl}`,
    );
  });

  it('a pending transaction has no mined result until a block includes it, and re-broadcasting it meanwhile is fine', async () => {
    const { key } = await fundedKey();
    const signed = await chain.prepare(target, devChain.chainId, key, { fn: 'revoke', receiptHash: bytes32(0x44) });
    await rawRpc(devChain.rpcUrl, 'evm_setAutomine', [false]);
    try {
      expect(await chain.broadcast(devChain.rpcUrl, signed.raw)).toBe(signed.txHash);
      expect(await chain.known(devChain.rpcUrl, signed.txHash)).toBe(true);
      expect(await chain.minedTransaction(devChain.rpcUrl, signed.txHash)).toBeNull();
      expect(await chain.broadcast(devChain.rpcUrl, signed.raw)).toBe(signed.txHash);
      await rawRpc(devChain.rpcUrl, 'evm_mine');
    } finally {
      await rawRpc(devChain.rpcUrl, 'evm_setAutomine', [true]);
    }
    expect(await chain.minedTransaction(devChain.rpcUrl, signed.txHash)).toMatchObject({ status: 'success', txHash: signed.txHash });
  });

  it('"nonce too low" for another transaction of the same nonce is an error: the node does not have this one', async () => {
    const { key } = await fundedKey();
    const first = await chain.prepare(target, devChain.chainId, key, { fn: 'revoke', receiptHash: bytes32(0x66) });
    const rival = await chain.prepare(target, devChain.chainId, key, { fn: 'revoke', receiptHash: bytes32(0x77) });
    expect(rival.nonce).toBe(first.nonce);
    await chain.broadcast(devChain.rpcUrl, first.raw);
    await expect(chain.broadcast(devChain.rpcUrl, rival.raw)).rejects.toThrow(/^The node refused the transaction: .*nonce too low/i);
    expect(await chain.known(devChain.rpcUrl, rival.txHash)).toBe(false);
  });

  it('says so when the account cannot pay, and when the node is another chain', async () => {
    const unfunded = freshKey();
    const signed = await chain.prepare(target, devChain.chainId, unfunded, { fn: 'revoke', receiptHash: bytes32(0x55) });
    await expect(chain.broadcast(devChain.rpcUrl, signed.raw)).rejects.toThrow(/^The node refused the transaction: insufficient funds/);
    expect(await chain.known(devChain.rpcUrl, signed.txHash)).toBe(false);
    await expect(chain.prepare(target, 1, unfunded, { fn: 'revoke', receiptHash: bytes32(0x55) })).rejects.toThrow(
      `The chain at ${devChain.rpcUrl} has chain id ${devChain.chainId}, not 1`,
    );
  });

  it('refuses malformed input with the reason', async () => {
    const key = freshKey();
    await expect(chain.prepare(target, devChain.chainId, key, { fn: 'revoke', receiptHash: '0x1234' })).rejects.toThrow(/receiptHash is not 32 bytes/);
    await expect(chain.prepare(target, devChain.chainId, key, { fn: 'anchor', logId: bytes32(1), treeSize: -1, root: bytes32(2) })).rejects.toThrow(/tree size/);
    await expect(chain.chainId('ftp://127.0.0.1/')).rejects.toThrow(/must be http: or https:/);
    await expect(chain.broadcast(devChain.rpcUrl, '0xzz' as Hex)).rejects.toThrow(/raw transaction is not 0x-hex/);
  });

  it('an unreachable node fails at once with a clear error', async () => {
    const closedPort = await listen(createTcpServer()).then(async (server) => {
      const port = portOf(server);
      await new Promise((resolve) => server.close(resolve));
      return port;
    });
    const url = `http://127.0.0.1:${closedPort}`;
    const started = Date.now();
    await expect(chain.chainId(url)).rejects.toThrow(new RegExp(`^The chain at ${url} did not answer \\(ECONNREFUSED`));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a node that accepts and never answers fails after the timeout, not later', async () => {
    const silent = await listen(createTcpServer((socket) => sockets.push(socket)));
    servers.push(silent);
    const url = `http://127.0.0.1:${portOf(silent)}`;
    const impatient = createViemAnchorChain({ timeoutMs: 400 });
    const started = Date.now();
    await expect(impatient.balance(url, devChain.deployer)).rejects.toThrow(`The chain at ${url} did not answer (no reply within 0.4 s`);
    // Two attempts of 400 ms and the retry delay.
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('does not follow a redirect away from the configured URL', async () => {
    const redirecting = await listen(
      createServer((_request, response) => {
        response.writeHead(307, { location: devChain.rpcUrl });
        response.end();
      }),
    );
    servers.push(redirecting);
    const url = `http://127.0.0.1:${portOf(redirecting)}`;
    await expect(chain.chainId(url)).rejects.toThrow(new RegExp(`^The chain at ${url} did not answer`));
  });
});

function listen<T extends Server | TcpServer>(server: T): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server | TcpServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}
