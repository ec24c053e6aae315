/**
 * `npm run verify-receipt -- <file> --rpc <url>`: verifies a consent receipt's proof
 * against a chain node (DESIGN.md §6). Wiring only; the command is
 * verify-receipt-command.ts, the checks core's receipt-verification.ts.
 */
import { readFile } from 'node:fs/promises';
import { runVerifyReceipt } from './verify-receipt-command.ts';

process.exitCode = await runVerifyReceipt(process.argv.slice(2), {
  readFile: (path) => readFile(path, 'utf8'),
  // viem is loaded only once there is a proof to check.
  chain: async () => (await import('../src/core/anchoring/viem-chain.ts')).createViemAnchorChain(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
