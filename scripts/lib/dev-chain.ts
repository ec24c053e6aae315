/**
 * The development chain of DESIGN.md §6: a Hardhat 2 `hardhat node` on 127.0.0.1 with
 * TesseraAnchor deployed, for `npm run chain`, `npm start`, the chain tests and the
 * end-to-end tests. A development chain only: it deploys and funds from Hardhat's
 * publicly known account 0, whose key must never hold anything on a real network.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createClient, defineChain, http, type Chain, type Hex } from 'viem';
import { deployContract, sendTransaction, waitForTransactionReceipt } from 'viem/actions';
import { privateKeyToAccount } from 'viem/accounts';
import { TESSERA_ANCHOR_ABI, TESSERA_ANCHOR_BYTECODE } from '../../src/core/anchoring/tessera-anchor-artifact.ts';

const root = resolve(import.meta.dirname, '../..');
const HARDHAT_BIN = resolve(root, 'node_modules/.bin/hardhat');

/**
 * Hardhat's account 0 from its documented default mnemonic ("test test … junk"): the
 * same on every Hardhat node and published everywhere, so it is fine for a local
 * development chain and worthless anywhere else.
 */
export const HARDHAT_ACCOUNT_0_PRIVATE_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

export interface DevChainOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Receives each line hardhat prints (it logs every RPC call); silent by default. */
  log?: (line: string) => void;
  /** How long the node may take to answer `eth_chainId`; 60 s by default (two shared cores start it slowly). */
  startTimeoutMs?: number;
}

export interface DevChain {
  /** `http://127.0.0.1:<port>` */
  rpcUrl: string;
  /** What the node reports (31337, hardhat.config.cjs). */
  chainId: number;
  /** The deployed TesseraAnchor. */
  contract: Hex;
  /** Hardhat's account 0, which deployed the contract and pays for fund(). */
  deployer: Hex;
  /** Sends `wei` from the deployer to `address` and waits until mined. Development chain only. */
  fund(address: Hex, wei: bigint): Promise<void>;
  /** SIGSTOP the node: the RPC stops answering (requests hang) until resume(); its state is kept. */
  pause(): void;
  /** SIGCONT the node. */
  resume(): void;
  /** Ends the node (and all it holds: a hardhat node keeps nothing on disk). Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the node's process has ended, by stop() or otherwise (a crash, a kill). */
  exited: Promise<void>;
}

/** Starts a hardhat node, waits for it to answer, and deploys TesseraAnchor. */
export async function startDevChain(options: DevChainOptions = {}): Promise<DevChain> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  // A port picked here may be taken by someone else before hardhat binds it; try another then.
  const attempts = options.port ? 1 : 3;
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    if (options.port) await assertPortFree(port);
    const node = spawnNode(port, log);
    try {
      const rpcUrl = `http://127.0.0.1:${port}`;
      const chainId = await waitUntilAnswering(node, rpcUrl, timeoutMs);
      return await deployOn(node, rpcUrl, chainId);
    } catch (error) {
      await node.stop();
      if (attempt < attempts && node.output().includes('EADDRINUSE')) continue;
      throw error;
    }
  }
}

interface RunningNode {
  process: ChildProcess;
  /** The last lines hardhat printed, for error messages. */
  output(): string;
  /** Whether the node has said it listens on its port (its own words, not just any answer there). */
  listening(): boolean;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  hasExited(): boolean;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 60;

function spawnNode(port: number, log: (line: string) => void): RunningNode {
  const child = spawn(HARDHAT_BIN, ['node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    // Hardhat's output is kept off ours (npm run chain prints one JSON line on stdout).
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() signals the group, and a terminal's Ctrl-C reaches
    // only us, so `npm run chain` decides how the node ends.
    detached: true,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  const watchdog = child.pid === undefined ? null : startWatchdog(child.pid);
  const lines: string[] = [];
  const listeningLine = `JSON-RPC server at http://127.0.0.1:${port}/`;
  let listening = false;
  const keep = (line: string) => {
    if (line.includes(listeningLine)) listening = true;
    lines.push(line);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    log(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) keep(line);
    });
    stream?.on('end', () => {
      if (partial) keep(partial);
      partial = '';
    });
  }
  let exited = false;
  const exitedPromise = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      exited = true;
      resolveExit();
    });
    child.once('error', (error) => {
      keep(`could not start ${HARDHAT_BIN}: ${error.message}`);
      exited = true;
      resolveExit();
    });
  });
  const signal = (name: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  // Our own exit (normal end, process.exit, an uncaught error) kills the node at once;
  // a death that runs no handler (SIGKILL, a signal without a listener) is the watchdog's.
  const killOnExit = () => {
    signal('SIGKILL');
    watchdog?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited) {
      signal('SIGCONT'); // a paused node would hold SIGTERM until continued
      signal('SIGTERM');
      const killTimer = setTimeout(() => signal('SIGKILL'), 3_000);
      await exitedPromise;
      clearTimeout(killTimer);
    }
    watchdog?.kill('SIGKILL');
  };
  return {
    process: child,
    output: () => lines.join('\n'),
    listening: () => listening,
    exited: exitedPromise,
    hasExited: () => exited,
    signal,
    stop,
  };
}

/**
 * A shell that SIGKILLs the node when we die however we die: it waits on a pipe only we
 * hold, which reaches end-of-file when our process ends. It must be a process of its own
 * because pause() stops the node itself (a stopped process cannot act, and SIGKILL is
 * the one signal a stopped process obeys), and it has its own session so the terminal's
 * Ctrl-C does not end it before it acts. stop() kills it once the node has exited.
 */
function startWatchdog(nodePid: number): ChildProcess {
  const watchdog = spawn('/bin/sh', ['-c', 'read -r _; kill -KILL "$1" 2>/dev/null', 'dev-chain-watchdog', String(nodePid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  // Neither the watchdog nor its pipe keeps our event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}

/** Fails clearly when something already listens on `port`, rather than deploying onto someone else's node. */
async function assertPortFree(port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`port must be an integer from 1 to 65535, not ${port}`);
  const server = createServer();
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolveListen);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is already in use (another development chain?)` : `cannot listen on 127.0.0.1:${port}: ${String(error)}`);
  }
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolveListen);
  });
  const address = server.address();
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port on 127.0.0.1');
  return address.port;
}

/**
 * Waits until our node says it listens and answers `eth_chainId` (its message rules out
 * an answer from another process that took the port meanwhile); fails early if it
 * exits, and after `timeoutMs`, with its output.
 */
async function waitUntilAnswering(node: RunningNode, rpcUrl: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (node.hasExited()) {
      throw new Error(`hardhat node exited before answering at ${rpcUrl}; its output:\n${node.output()}`);
    }
    const chainId = node.listening() ? await chainIdOrNull(rpcUrl) : null;
    if (chainId !== null) return chainId;
    if (Date.now() > deadline) {
      throw new Error(`hardhat node did not answer eth_chainId at ${rpcUrl} within ${timeoutMs} ms; its output:\n${node.output()}`);
    }
    await Promise.race([node.exited, new Promise((r) => setTimeout(r, 100))]);
  }
}

async function chainIdOrNull(rpcUrl: string): Promise<number | null> {
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === 'string' ? Number(BigInt(body.result)) : null;
  } catch {
    return null; // not listening yet
  }
}

async function deployOn(node: RunningNode, rpcUrl: string, chainId: number): Promise<DevChain> {
  const chain: Chain = defineChain({
    id: chainId,
    name: 'Tessera development chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const account = privateKeyToAccount(HARDHAT_ACCOUNT_0_PRIVATE_KEY);
  // Automine: every transaction is mined on arrival, so receipts are polled briefly.
  const client = createClient({ account, chain, transport: http(rpcUrl), pollingInterval: 50 });

  const deployHash = await deployContract(client, { abi: TESSERA_ANCHOR_ABI, bytecode: TESSERA_ANCHOR_BYTECODE, account, chain });
  const deployment = await waitForTransactionReceipt(client, { hash: deployHash });
  if (deployment.status !== 'success' || !deployment.contractAddress) {
    throw new Error(`TesseraAnchor deployment ${deployHash} ${deployment.status}; hardhat's output:\n${node.output()}`);
  }

  // One transfer at a time: concurrent sends would read the same pending nonce.
  let funding: Promise<void> = Promise.resolve();
  const fund = (address: Hex, wei: bigint): Promise<void> => {
    const transfer = funding.then(async () => {
      const hash = await sendTransaction(client, { account, chain, to: address, value: wei });
      const receipt = await waitForTransactionReceipt(client, { hash });
      if (receipt.status !== 'success') throw new Error(`funding ${address} with ${wei} wei: transaction ${hash} ${receipt.status}`);
    });
    funding = transfer.catch(() => {});
    return transfer;
  };

  return {
    rpcUrl,
    chainId,
    contract: deployment.contractAddress,
    deployer: account.address,
    fund,
    pause: () => node.signal('SIGSTOP'),
    resume: () => node.signal('SIGCONT'),
    stop: () => node.stop(),
    exited: node.exited,
  };
}
