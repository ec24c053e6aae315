/**
 * Shared by dashboard-tabs.e2e.ts and accessibility.e2e.ts (the UI checks): a wallet holding a
 * library card bound to a site's pairwise DID, and a data-access request from that
 * site (wallet_requestDataAccess) with its consent window.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { approveIn, requestIdentity, requestInPage, waitForApprovalPage, newNonce, type RequestOutcome } from '../../scripts/lib/extension-browser.ts';
import { createTestIssuer, issueJwtVc } from '../support/issuers.ts';
import { expectOk } from './support.ts';

export interface DataGrantResult {
  grant: { id: string; purposes: string[]; status: string; credentials: { types: string[]; claimPaths: (string | number)[][] }[] };
  receipt: string;
  vp_token: Record<string, string[]>;
}

/** Logs `site` in, then offers it a LibraryCardCredential bound to its pairwise DID and keeps it. */
export async function holdLibraryCard(context: BrowserContext, site: Page): Promise<{ did: string; credentialId: string }> {
  const loginApproval = waitForApprovalPage(context);
  const login = requestIdentity(site, newNonce(), { timeoutMs: 30_000 });
  await approveIn(await loginApproval);
  const { did } = expectOk(await login);
  const issuer = await createTestIssuer();
  const credential = await issueJwtVc(issuer, {
    subjectDid: did,
    types: ['LibraryCardCredential'],
    claims: { given_name: 'Mara', card_number: 'LIB-0042' },
  });
  const offerApproval = waitForApprovalPage(context);
  const offer = requestInPage<{ id: string }>(site, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
  await approveIn(await offerApproval);
  return { did, credentialId: expectOk(await offer).id };
}

export const LIBRARY_REQUEST = {
  purpose: ['dpv:ServiceProvision', 'tessera:AIModelTraining'],
  duration_days: 365,
  usage_limit: 12,
  retention_days: 30,
  dcql_query: {
    credentials: [
      {
        id: 'card',
        format: 'jwt_vc_json',
        meta: { type_values: [['LibraryCardCredential']] },
        claims: [{ path: ['credentialSubject', 'card_number'] }],
      },
    ],
  },
};

/** Starts wallet_requestDataAccess in `site` and returns its consent window and the pending answer. */
export async function startDataAccess(
  context: BrowserContext,
  site: Page,
  params: Record<string, unknown> = LIBRARY_REQUEST,
): Promise<{ approval: Page; outcome: Promise<RequestOutcome<DataGrantResult>> }> {
  const approvalP = waitForApprovalPage(context);
  const outcome = requestInPage<DataGrantResult>(
    site,
    { method: 'wallet_requestDataAccess', params: { nonce: newNonce(), ...params } },
    { timeoutMs: 60_000 },
  );
  const approval = await approvalP;
  await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
  // A credential whose status the wallet could not check needs the acknowledgement first.
  const ack = approval.getByTestId('accept-unknown-status');
  if (await ack.isVisible().catch(() => false)) await ack.check();
  return { approval, outcome };
}

export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (!part) throw new Error(`not a JWT: ${jwt.slice(0, 40)}`);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}
