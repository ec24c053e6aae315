/**
 * A slow or lost round must not sink a 15-minute run: each timed step is tried again a
 * few times, with the browser put back in a known state in between, and every retry is
 * noted in the report. Only a step that fails every attempt fails the part.
 */
import { requestInPage } from '../lib/extension-browser.ts';
import { MeasurementError, sleep, type BenchContext } from './measure.ts';
import type { WalletName } from './page-functions.ts';

export const ATTEMPTS = 3;

export interface RetryCount {
  retried: number;
}

/**
 * Runs `measure` until it returns a sample `usable` accepts, at most ATTEMPTS times.
 * A MeasurementError or an unusable sample (e.g. a lost click that stretched the span)
 * is noted, `reset` runs, and the step is tried again; after the last attempt an
 * unusable sample is kept (it is still a measurement) and an error is thrown.
 */
export async function withRetries<T>(
  ctx: Pick<BenchContext, 'notes'>,
  what: string,
  measure: () => Promise<T>,
  options: { usable?: (sample: T) => string | null; reset: () => Promise<void>; count: RetryCount },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let problem: string;
    try {
      const sample = await measure();
      const unusable = options.usable?.(sample) ?? null;
      if (unusable === null) return sample;
      if (attempt >= ATTEMPTS) {
        ctx.notes.push(`${what}: ${unusable} on all ${ATTEMPTS} attempts; the last sample is kept`);
        return sample;
      }
      problem = unusable;
    } catch (error) {
      if (!(error instanceof MeasurementError) || attempt >= ATTEMPTS) throw error;
      problem = error.message;
    }
    options.count.retried++;
    ctx.notes.push(`${what}: attempt ${attempt} discarded (${problem}); measured again`);
    await options.reset();
  }
}

/**
 * Puts the browser back after a failed approval round: closes every extension window
 * (a pending request is then rejected by its wallet) and, for Tessera, gives up any
 * identity grant the round left, so the next round asks again.
 */
export async function resetApproval(ctx: BenchContext, wallet: WalletName): Promise<void> {
  for (const page of ctx.context.pages()) {
    if (page !== ctx.site && page.url().startsWith('chrome-extension://')) await page.close().catch(() => undefined);
  }
  await sleep(500);
  if (wallet !== 'tessera') return;
  const grants = await requestInPage<{ id: string; kind: string; status: string }[]>(ctx.site, { method: 'wallet_getGrants' }, {
    timeoutMs: 10_000,
  });
  if (!grants.ok) return;
  for (const grant of grants.value.filter((g) => g.kind === 'identity' && g.status === 'active')) {
    await requestInPage(ctx.site, { method: 'wallet_revokeGrant', params: { grantId: grant.id } }, { timeoutMs: 10_000 });
  }
}
