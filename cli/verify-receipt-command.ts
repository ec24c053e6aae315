/**
 * `verify-receipt <file> --rpc <url>` (DESIGN.md §6): checks a consent receipt's
 * proof against a chain node and says, check by check, what holds. Exit codes: 0
 * every check holds and the grant is not revoked; 2 every check holds and the
 * anchoring account revoked it (the block is printed); 1 a check failed (named), or
 * the command could not run (usage, unreadable file, not JSON, no proof in it).
 *
 * The parts are functions of their input so tests can hold them to the output; the
 * entry file (verify-receipt.ts) only wires them to the process.
 */
import { isObject, messageOf } from '../src/core/credentials/formats/jws.ts';
import { verifyReceiptProof, type ReceiptCheck, type ReceiptVerification } from '../src/core/anchoring/receipt-verification.ts';
import type { AnchorChainReader } from '../src/core/ports.ts';

export const USAGE = 'usage: npm run verify-receipt -- <file> --rpc <url>';

export const EXIT_VERIFIED = 0;
export const EXIT_FAILED = 1;
export const EXIT_REVOKED = 2;

export type VerifyReceiptArgs = { help: true } | { help: false; file: string; rpcUrl: string };

/** The command line (after the script name); throws an Error saying what is wrong with it. */
export function parseVerifyReceiptArgs(argv: readonly string[]): VerifyReceiptArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  let file: string | undefined;
  let rpc: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--rpc' || arg.startsWith('--rpc=')) {
      if (rpc !== undefined) throw new Error('--rpc is given twice');
      rpc = arg === '--rpc' ? argv[++i] : arg.slice('--rpc='.length);
      if (rpc === undefined || rpc === '' || rpc.startsWith('--')) throw new Error('--rpc needs the JSON-RPC URL of a chain node, e.g. --rpc http://127.0.0.1:8545');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new Error(`unknown option ${arg}`);
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new Error(`one proof file at a time (got ${file} and ${arg})`);
    }
  }
  if (file === undefined) throw new Error('no proof file given');
  if (rpc === undefined) throw new Error('no --rpc <url> given: the proof is checked against a chain node');
  let url: URL;
  try {
    url = new URL(rpc);
  } catch {
    throw new Error(`--rpc ${rpc} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--rpc ${rpc} is not an http(s) JSON-RPC URL`);
  return { help: false, file, rpcUrl: rpc };
}

/** What the file held: the dashboard's download (`{ grantId, receipt, receiptProof }`) or a bare receiptProof. */
export type ProofFile = { form: 'download'; grantId: string | null; proof: unknown } | { form: 'bare'; proof: unknown };

/** The receipt proof inside the file's JSON text; throws an Error saying why there is none. */
export function readProofFile(text: string): ProofFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${messageOf(error)})`);
  }
  if (!isObject(json) || !('receiptProof' in json)) return { form: 'bare', proof: json };
  const grantId = typeof json.grantId === 'string' ? json.grantId : null;
  const proof = json.receiptProof;
  if (proof === null) {
    throw new Error(`a receipt download${grantId ? ` of grant ${grantId}` : ''} without a receipt proof: the wallet had not anchored the grant yet (download it again once it has)`);
  }
  if (json.receipt !== undefined && isObject(proof) && json.receipt !== proof.receipt) {
    throw new Error('a receipt download whose receipt is not the one its receiptProof proves');
  }
  return { form: 'download', grantId, proof };
}

export function describeProofFile(file: string, proofFile: ProofFile): string {
  return proofFile.form === 'download'
    ? `${file}: a dashboard receipt download${proofFile.grantId ? ` (grant ${proofFile.grantId})` : ''}; verifying its receiptProof`
    : `${file}: a bare receiptProof`;
}

const MARK = { pass: '✓', fail: '✗', notRun: '-' } as const;

export function formatCheck(check: ReceiptCheck): string {
  const mark = check.ok === true ? MARK.pass : check.ok === false ? MARK.fail : MARK.notRun;
  return `${mark} ${check.check}: ${check.detail}`;
}

export function exitCodeOf(result: ReceiptVerification): number {
  if (!result.ok) return EXIT_FAILED;
  return result.revokedAtBlock === null ? EXIT_VERIFIED : EXIT_REVOKED;
}

export function formatSummary(result: ReceiptVerification): string {
  if (!result.ok) {
    const failed = result.checks.find((c) => c.ok === false);
    return `FAILED at ${result.firstFailure}: ${failed?.detail ?? 'see above'}`;
  }
  return result.revokedAtBlock === null
    ? 'VERIFIED: every check holds; the grant is not revoked'
    : `REVOKED: every check holds; the grant was revoked in block ${result.revokedAtBlock}`;
}

/** Every line the command prints for a verification: the checks, then the summary. */
export function formatVerification(result: ReceiptVerification): string[] {
  return [...result.checks.map(formatCheck), formatSummary(result)];
}

export interface VerifyReceiptIo {
  readFile(path: string): Promise<string>;
  /** The chain reader, created only once there is a proof to check. */
  chain(): Promise<AnchorChainReader>;
  out(line: string): void;
  err(line: string): void;
}

/** Runs the command; resolves to its exit code. */
export async function runVerifyReceipt(argv: readonly string[], io: VerifyReceiptIo): Promise<number> {
  let args: VerifyReceiptArgs;
  try {
    args = parseVerifyReceiptArgs(argv);
  } catch (error) {
    io.err(`verify-receipt: ${messageOf(error)}`);
    io.err(USAGE);
    return EXIT_FAILED;
  }
  if (args.help) {
    io.out(USAGE);
    io.out('Checks a consent receipt proof (DESIGN §6) against the chain: exit 0 verified, 2 verified but revoked, 1 a check failed.');
    return EXIT_VERIFIED;
  }
  let text: string;
  try {
    text = await io.readFile(args.file);
  } catch (error) {
    io.err(`verify-receipt: cannot read ${args.file}: ${messageOf(error)}`);
    return EXIT_FAILED;
  }
  let proofFile: ProofFile;
  try {
    proofFile = readProofFile(text);
  } catch (error) {
    io.err(`verify-receipt: ${args.file}: ${messageOf(error)}`);
    return EXIT_FAILED;
  }
  io.out(describeProofFile(args.file, proofFile));
  const result = await verifyReceiptProof(proofFile.proof, await io.chain(), args.rpcUrl);
  for (const line of formatVerification(result)) io.out(line);
  return exitCodeOf(result);
}
