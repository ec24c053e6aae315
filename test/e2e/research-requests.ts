/**
 * Research requests the end-to-end test makes itself rather than through the portal's
 * page (research.e2e.ts): the portal's params with another accreditation, other claims
 * or other purposes, signed as the portal's requester presentation; the check of a
 * consent window that refuses health data; and the grant a consent receipt records.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { rejectIn, requestInPage, waitForApprovalPage, waitForClose, type RequestOutcome } from '../../scripts/lib/extension-browser.ts';
import { decodeJwtPayload } from '../../demo/verify.ts';
import { requesterPresentation } from '../../demo/research/requester.ts';
import type { ResearchServer } from '../../demo/research/server.ts';
import { childHealthQuery } from '../../demo/research/study.ts';
import { textOf } from './anchoring-support.ts';
import { armed, requestOutcome } from './research-support.ts';
import { expectError } from './support.ts';

/** `wallet_requestDataAccess` with `params` from `page`; returns the consent window (armed) and the pending answer. */
export async function requestFromPage<T>(context: BrowserContext, page: Page, params: unknown): Promise<{ window: Page; outcome: Promise<RequestOutcome<T>> }> {
  const windowP = waitForApprovalPage(context, { timeoutMs: 20_000 });
  const outcome = requestInPage<T>(page, { method: 'wallet_requestDataAccess', params }, { timeoutMs: 60_000 });
  // An answer before any window (a refusal) says more than the window's time-out would.
  const first = await Promise.race([windowP, outcome]);
  if (!('url' in first)) throw new Error(`the wallet answered without a window: ${JSON.stringify(first)}`);
  await armed(first);
  return { window: first, outcome };
}

export interface CraftedRequest {
  /** The accreditation JWT the requester presentation carries. */
  accreditation: string;
  /** Top-level claim names of the health summary to ask for (default the portal's query). */
  claims?: string[];
  /** Default the portal's research purposes. */
  purposes?: string[];
}

/**
 * The portal's request from its page at its origin, with `accreditation` in a requester
 * presentation signed by the portal's key for this origin and nonce.
 */
export async function craftedRequest(context: BrowserContext, page: Page, portal: ResearchServer, crafted: CraftedRequest) {
  const { params } = await portal.ask({ mode: 'none' });
  const origin = portal.origin();
  const requester = await requesterPresentation(portal.key, { origin, nonce: params.nonce, credentials: [crafted.accreditation] });
  let dcql_query = params.dcql_query;
  if (crafted.claims) {
    const { id, format, meta } = childHealthQuery().credentials[0]!;
    dcql_query = { credentials: [{ id, format, meta, claims: crafted.claims.map((name) => ({ id: name, path: [name] })) }] };
  }
  return await requestFromPage(context, page, { ...params, purpose: crafted.purposes ?? params.purpose, dcql_query, requester });
}

/**
 * The window shows the requester unverified with `reason` (the failed check) and the
 * health summary `healthId` refused, approve disabled; rejected, the asker hears 4001:
 * the portal's page (that asked with its button) or the pending answer.
 */
export async function expectHealthRefused(window: Page, healthId: string, reason: RegExp | string, asker: Page | Promise<RequestOutcome>): Promise<void> {
  expect(await window.getByTestId('requester-verified').count()).toBe(0);
  expect(await window.getByTestId('requester-unverified').count()).toBe(1);
  const said = await textOf(window, 'requester-reason');
  if (typeof reason === 'string') expect(said).toBe(reason);
  else expect(said).toMatch(reason);
  expect(await textOf(window, `blocked-${healthId}`)).toMatch(/health data, which Tessera never shares with a requester it could not verify/);
  expect(await window.getByTestId('approve').isDisabled(), 'approve cannot share it').toBe(true);
  await rejectIn(window);
  await waitForClose(window);
  if (asker instanceof Promise) return expectError(await asker, 4001);
  expect(await requestOutcome(asker)).toBe('declined');
  expect(await asker.getByTestId('research-status').getAttribute('data-code')).toBe('4001');
}

/** The grant a consent receipt (JWT) records. */
export function receiptGrant(receipt: string): Record<string, unknown> & { purposes: string[]; holder?: Record<string, unknown> } {
  const vc = decodeJwtPayload(receipt).vc as { credentialSubject: { grant: Record<string, unknown> & { purposes: string[] } } };
  return vc.credentialSubject.grant;
}
