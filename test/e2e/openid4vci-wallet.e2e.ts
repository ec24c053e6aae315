/**
 * The wallet's half of OpenID4VCI receiving in Chromium, against the in-memory test
 * issuer served on loopback: a pasted offer (with a transaction code) shown with the
 * issuer's name and logo and received in all three formats; a site's
 * `wallet_offerCredential({ credential_offer })` answered { id, ids }; a user's click
 * on an offer link opens the same window. (The demo issuers' journey is openid4vci.e2e.ts.)
 * Every *.chromiumapp.org name resolves to a local TCP listener (redirect-host-listener.ts),
 * so a redirect that left the browser (carrying the code and state) would be seen.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveIn, openExtensionPage, requestInPage, waitForApprovalPage, waitForClose } from '../../scripts/lib/extension-browser.ts';
import { createTestIssuer } from '../support/issuers.ts';
import { MemoryOpenId4VciIssuer } from '../support/openid4vci-issuer.ts';
import { listenForRedirectHost, type RedirectHostListener } from './redirect-host-listener.ts';
import { expectOk, openSite, startHarness, type Harness } from './support.ts';

let h: Harness;
let server: Server;
let issuer: MemoryOpenId4VciIssuer;
let redirectHost: RedirectHostListener;

/** Serves the test issuer over HTTP on 127.0.0.1 (the URL policy allows http to loopback). */
async function serveIssuer(txCode: string): Promise<MemoryOpenId4VciIssuer> {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const served = new MemoryOpenId4VciIssuer({ key: await createTestIssuer(), issuerUrl: base, txCode });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = `${base}${req.url ?? '/'}`;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const answer =
        req.method === 'POST'
          ? await served.post(url, { contentType: String(req.headers['content-type']), text: Buffer.concat(chunks).toString('utf8') }, undefined, { headers })
          : await served.get(url, undefined, { headers });
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/octet-stream', ...answer.headers });
      res.end(answer.body);
    });
  });
  return served;
}

beforeAll(async () => {
  redirectHost = await listenForRedirectHost();
  h = await startHarness({ onboarded: true, args: redirectHost.args });
  issuer = await serveIssuer('4821');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => server?.close(resolve));
  await redirectHost?.close();
});

describe('OpenID4VCI receiving', () => {
  test('a pasted offer: the issuer shown with its logo, the code typed, three credentials received', async () => {
    const dashboard = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
    await dashboard.getByTestId('tab-credentials').click();
    await dashboard.getByTestId('offer-uri').fill(issuer.offerUri());
    const windowP = waitForApprovalPage(h.context);
    await dashboard.getByTestId('offer-open').click();
    const approval = await windowP;
    await expect.poll(() => approval.getByTestId('issuer-name').textContent()).toBe('Example Registry');
    expect(await approval.getByTestId('issuer-logo').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await approval.getByTestId('offered-credentials').textContent()).toContain('Diploma card');
    await approval.getByTestId('tx-code').fill('1111');
    await approveIn(approval);
    await expect.poll(() => approval.getByTestId('approval-error').textContent()).toContain('the transaction code is wrong');
    await approval.getByTestId('tx-code').fill('4821');
    await approveIn(approval);
    await waitForClose(approval);
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 15_000 }).toBe('Received 3 credentials.');
    await dashboard.close();
  }, 60_000);

  test("a site's credential_offer, and a user's click on an offer link", async () => {
    const page = await openSite(h.context, h.servers[0]!.url('localhost', '/plain'));
    const windowP = waitForApprovalPage(h.context);
    const outcome = requestInPage<{ id: string; ids: string[] }>(page, { method: 'wallet_offerCredential', params: { credential_offer: issuer.offer(['Diploma']) } }, { timeoutMs: 30_000 });
    const approval = await windowP;
    await expect.poll(() => approval.getByTestId('issuer-url').textContent()).toBe(issuer.issuerUrl);
    expect(await approval.getByTestId('issuer-name').count()).toBe(0);
    await approval.getByTestId('tx-code').fill('4821');
    await approveIn(approval);
    const { id, ids } = expectOk(await outcome);
    expect(ids).toEqual([id]);

    await page.evaluate((href) => {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = 'Add to wallet';
      a.dataset.testid = 'offer-link';
      document.body.append(a);
    }, issuer.offerUri(['Membership']));
    const linkWindowP = waitForApprovalPage(h.context);
    await page.getByTestId('offer-link').click();
    const linkApproval = await linkWindowP;
    await expect.poll(() => linkApproval.getByTestId('issuer-name').textContent()).toBe('Example Registry');
    expect(page.url()).toContain('/plain');
    await linkApproval.getByTestId('reject').click();
    await waitForClose(linkApproval);
  }, 60_000);

  test('the authorization code flow: sign-in in a tab, redirected to the wallet, the tab closed, the credential received', async () => {
    const dashboard = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
    await dashboard.getByTestId('tab-credentials').click();
    await dashboard.getByTestId('offer-uri').fill(JSON.stringify(issuer.offer(['Diploma'], 'authorization_code')));
    const windowP = waitForApprovalPage(h.context);
    await dashboard.getByTestId('offer-open').click();
    const approval = await windowP;
    const tabs: Page[] = [];
    const onPage = (p: Page) => tabs.push(p);
    h.context.on('page', onPage);
    await approveIn(approval);
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 20_000 }).toBe('Received a credential.');
    h.context.off('page', onPage);
    // The sign-in tab opened on the issuer's authorization endpoint and was closed after the redirect.
    const signIn = tabs.filter((p) => !p.url().startsWith('chrome-extension://'));
    expect(signIn).toHaveLength(1);
    await expect.poll(() => signIn[0]!.isClosed(), { timeout: 10_000 }).toBe(true);
    const authorize = issuer.requests.find((r) => r.url.includes('/authorize?'));
    expect(new URL(authorize!.url).searchParams.get('redirect_uri')).toBe(`https://${h.extensionId}.chromiumapp.org/openid4vci/callback`);
    await waitForClose(approval);
    await dashboard.close();
    // The redirect with the code never left the browser (the block rule stopped it)...
    expect(redirectHost.connections).toEqual([]);
    // ...while the same navigation to a host the rule does not cover reaches the listener.
    const other = await h.context.newPage();
    await other.goto(`https://${'a'.repeat(32)}.chromiumapp.org/openid4vci/callback?code=c&state=s`, { timeout: 10_000 }).catch(() => undefined);
    await expect.poll(() => redirectHost.connections.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await other.close();
  }, 60_000);
});
