/**
 * `npm run chain [-- --port N] [-- --verbose]`: the development chain alone (DESIGN.md §6).
 * Starts a hardhat node on 127.0.0.1:8545 (or N), deploys TesseraAnchor, prints one JSON
 * line `{"rpcUrl":…,"chainId":…,"contract":…}` on stdout for whatever reads it, and runs
 * until SIGINT or SIGTERM, then stops the node. Hardhat's own output goes to stderr with
 * --verbose and nowhere otherwise, so stdout carries only that line.
 */
import { startDevChain } from './lib/dev-chain.ts';

const DEFAULT_PORT = 8545;
const USAGE = 'usage: npm run chain [-- --port N] [-- --verbose]';

interface ChainArguments {
  port: number;
  verbose: boolean;
}

function parseArguments(args: string[]): ChainArguments {
  const parsed: ChainArguments = { port: DEFAULT_PORT, verbose: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--verbose') parsed.verbose = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? args[++i] : arg.slice('--port='.length);
      const port = Number(value);
      if (value === undefined || !/^\d+$/.test(value) || port < 1 || port > 65_535) {
        throw new Error(`--port takes a port number from 1 to 65535, not ${value === undefined ? 'nothing' : JSON.stringify(value)}\n${USAGE}`);
      }
      parsed.port = port;
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return parsed;
}

async function main(): Promise<void> {
  const { port, verbose } = parseArguments(process.argv.slice(2));
  const chain = await startDevChain({ port, log: verbose ? (line) => process.stderr.write(`${line}\n`) : undefined });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping the development chain\n`);
    chain.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`could not stop the development chain: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A node that ends by itself ends this too, with an error: whoever reads our line relies on it.
  void chain.exited.then(() => {
    if (stopping) return;
    process.stderr.write('the hardhat node exited unexpectedly\n');
    process.exit(1);
  });

  process.stdout.write(`${JSON.stringify({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, contract: chain.contract })}\n`);
  process.stderr.write(`development chain ${chain.chainId} at ${chain.rpcUrl}, TesseraAnchor at ${chain.contract}; Ctrl-C stops it\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
