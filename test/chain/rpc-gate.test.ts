/**
 * The test tools that take the chain away: the RPC gate (connections refused, then
 * the same URL answers again with the node's state intact) and the dev chain's
 * pause/resume (the node stops answering without refusing).
 */
import { request as httpRequest, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';
import { startRpcGate, type RpcGate } from '../../scripts/lib/rpc-gate.ts';

let devChain: DevChain;
let gate: RpcGate;

beforeAll(async () => {
  devChain = await startDevChain();
  gate = await startRpcGate(devChain.rpcUrl);
}, 120_000);

afterAll(async () => {
  await gate?.stop();
  await devChain?.stop();
});

interface RpcAnswer {
  result?: unknown;
  error?: { message: string };
}

/**
 * One JSON-RPC call over node:http, so a refused connection surfaces as its errno code;
 * on a new connection unless `agent` pools them (Node's global agent keeps connections alive).
 */
function rpc(url: string, method: string, params: unknown[] = [], agent?: Agent): Promise<RpcAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolveAnswer(JSON.parse(body) as RpcAnswer);
        } catch {
          reject(new Error(`not JSON (HTTP ${res.statusCode}): ${body}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  });
}

describe('rpc gate', () => {
  it('forwards JSON-RPC to the node', async () => {
    expect(await rpc(gate.url, 'eth_chainId')).toMatchObject({ result: `0x${devChain.chainId.toString(16)}` });
  });

  it('closed, refuses connections and cuts kept-alive ones; opened, answers on the same URL with the same chain state', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const mined = await rpc(gate.url, 'evm_mine', [], agent); // a block the node must still have afterwards
      expect(mined.error).toBeUndefined();
      const before = await rpc(gate.url, 'eth_blockNumber', [], agent);

      await gate.close();
      // A pooled connection may not have seen the gate's FIN yet: reset or refused, it fails.
      await expect(rpc(gate.url, 'eth_blockNumber', [], agent)).rejects.toMatchObject({ code: expect.stringMatching(/^ECONN(RESET|REFUSED)$/) });
      await expect(rpc(gate.url, 'eth_blockNumber')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await expect(fetch(gate.url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
      // The node itself went on answering all along.
      expect(await rpc(devChain.rpcUrl, 'eth_blockNumber')).toEqual(before);

      await gate.open();
      expect(await rpc(gate.url, 'eth_blockNumber', [], agent)).toEqual(before);
      const block = (await rpc(gate.url, 'eth_getBlockByNumber', [before.result, false])).result as { number: string } | null;
      expect(block?.number).toBe(before.result);
    } finally {
      agent.destroy();
      await gate.open();
    }
  });

  it('close() cuts a request in flight (here one waiting on a paused node)', async () => {
    devChain.pause();
    try {
      const cut = expect(rpc(gate.url, 'eth_chainId')).rejects.toMatchObject({ code: 'ECONNRESET' });
      await new Promise((r) => setTimeout(r, 200));
      await gate.close();
      await cut;
    } finally {
      devChain.resume();
      await gate.open();
    }
    expect(await rpc(gate.url, 'eth_chainId')).toMatchObject({ result: `0x${devChain.chainId.toString(16)}` });
  });
});

describe('dev chain pause and resume', () => {
  it('a paused node does not answer; resumed, it answers with its state kept', async () => {
    const before = await rpc(devChain.rpcUrl, 'eth_blockNumber');
    devChain.pause();
    try {
      const answered = await Promise.race([
        rpc(devChain.rpcUrl, 'eth_blockNumber').then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 1_000)),
      ]);
      expect(answered).toBe(false);
    } finally {
      devChain.resume();
    }
    expect(await rpc(devChain.rpcUrl, 'eth_blockNumber')).toEqual(before);
  });
});
