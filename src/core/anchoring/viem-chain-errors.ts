/**
 * viem's errors in words a user can act on: an unreachable node, a timeout, an HTTP
 * status, a refusal for lack of funds, or the node's own message.
 */
const INSUFFICIENT_FUNDS = /insufficient funds|enough funds|exceeds transaction sender account balance|outoffunds/i;

/** Whether `error` or one of its causes carries viem's error `name`. */
export function hasErrorNamed(error: unknown, name: string): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e.name === name) return true;
  return false;
}

/** The node's own words: viem carries the JSON-RPC error message as `details` (through its wrappers). */
export function nodeMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { details?: unknown }).details;
  return typeof details === 'string' && details !== '' ? details : ((error as { shortMessage?: string }).shortMessage ?? error.message);
}

export function readableError(rpcUrl: string, what: string, error: unknown, timeoutMs: number): Error {
  if (hasErrorNamed(error, 'TimeoutError')) {
    return new Error(`The chain at ${rpcUrl} did not answer (no reply within ${timeoutMs / 1000} s, ${what}).`, { cause: error });
  }
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name !== 'HttpRequestError') continue;
    const status = (e as { status?: number }).status;
    const reason = status ? `HTTP ${status}` : networkReason(e);
    return new Error(`The chain at ${rpcUrl} did not answer (${reason}, ${what}).`, { cause: error });
  }
  const message = nodeMessage(error);
  if (what === 'sending the transaction') {
    if (INSUFFICIENT_FUNDS.test(message)) {
      return new Error(`The node refused the transaction: insufficient funds — the anchoring account cannot pay for its gas; fund it (the node at ${rpcUrl} said: ${message}).`, { cause: error });
    }
    return new Error(`The node refused the transaction: ${message} (${rpcUrl}).`, { cause: error });
  }
  if (INSUFFICIENT_FUNDS.test(message)) {
    return new Error(`The chain at ${rpcUrl} refused ${what}: insufficient funds — the anchoring account cannot pay for its gas; fund it (${message}).`, { cause: error });
  }
  return new Error(`The chain at ${rpcUrl} failed ${what}: ${message}`, { cause: error });
}

/** What fetch said (connection refused, redirect refused, DNS), from the innermost cause. */
function networkReason(error: Error): string {
  let innermost: Error = error;
  for (let e: unknown = error.cause; e instanceof Error; e = e.cause) innermost = e;
  const code = (innermost as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return innermost === error ? nodeMessage(error) : innermost.message;
}
