/**
 * Receiving credentials over OpenID4VCI 1.0 (issue 10): an offer pasted in the
 * dashboard, from a link the user clicked, or handed over by a site; one approval
 * window; then the grant, a proof by the pairwise DID of the credential issuer's
 * origin (the DID a login there would use), each credential verified against that
 * key and kept with the issuer's display. A site hears only "invalid credential" for
 * any refusal (no probing); the holder sees the precise reason.
 */
import type { CredentialView } from '../../protocol/internal.ts';
import { CredentialError } from '../credentials/errors.ts';
import { OriginHolderKeys } from '../credentials/holder-keys.ts';
import type { CredentialStatus, VerifiedCredential } from '../credentials/types.ts';
import { verifyCredential } from '../credentials/verify-credential.ts';
import { hashJson, randomId } from '../encoding.ts';
import { DomainError, isDomainError } from '../errors.ts';
import { pairwiseLock } from '../identity/pairwise.ts';
import { checkTxCode, offerSourceOf, parseCredentialOffer, resolveCredentialOffer, type CredentialOffer } from '../issuance/credential-offer.ts';
import { IssuanceError } from '../issuance/issuance-error.ts';
import { codeFromRedirect, startAuthorization, TESSERA_CLIENT_ID } from '../issuance/authorization-code.ts';
import type { AccessToken } from '../issuance/token-request.ts';
import type { IssuerMetadata } from '../issuance/issuer-metadata.ts';
import { AuthorizationSessions, SIGN_IN_NOTICE, type PendingAuthorization } from './issuance-authorization.ts';
import { fetchCredentials, loadAuthorizationServer, loadIssuer, redeemGrant, type HolderKey } from '../issuance/issuance-client.ts';
import { credentialDisplayOf, issuerDisplayOf } from '../issuance/issuer-display.ts';
import { ed25519PublicJwk } from '../issuance/proof-jwt.ts';
import type { ApprovalKindHandler } from './approval-kinds.ts';
import { siteRefusal } from './credential-intake.ts';
import { keepCredential, type KeepExtras } from './credential-keep.ts';
import { toCredentialView } from './credential-views.ts';
import type { CredentialContext } from './flow-context.ts';
import { issuanceRequestOf, issuanceView, previewOf, type IssuanceRequest, type IssuanceVia } from './issuance-request.ts';
import type { UnlockedWallet } from './wallet-session.ts';

export interface IssuanceResult {
  /** The first stored credential (as wallet_offerCredential answers for one credential). */
  id: string;
  ids: string[];
}

type Received = { verified: VerifiedCredential; status: CredentialStatus; extras: KeepExtras };

export class CredentialIssuance {
  private readonly authorizations: AuthorizationSessions;

  constructor(private readonly ctx: CredentialContext) {
    this.authorizations = new AuthorizationSessions(ctx.ports.session);
  }

  /** The dashboard: the holder pasted an offer. The answer comes once they decided in the window. */
  async openFromDashboard(text: string): Promise<{ ids: string[]; credentials: CredentialView[] }> {
    const wallet = await this.ctx.session.require();
    const { offer, request } = await this.prepare('dashboard', text).catch((error: unknown) => {
      throw holderError(error);
    });
    const result = await this.ask(new URL(offer.credentialIssuer).origin, randomId(), request);
    const credentials = [];
    for (const id of result.ids) {
      const record = await wallet.credentials.get(id);
      if (record) credentials.push(await toCredentialView(wallet, record));
    }
    return { ids: result.ids, credentials };
  }

  /** A link the user clicked on a page of `origin` (a trusted gesture, relayed by the content script). */
  async openFromLink(origin: string, href: string): Promise<IssuanceResult> {
    // Before any fetch: one pending issuance per origin, however often the link is clicked.
    if (await this.ctx.desk.queue.hasPending(origin, 'issuance')) {
      throw new DomainError('pending', 'An issuance request from this origin is already pending; wait for it to finish.');
    }
    const { request } = await this.prepare('link', href).catch((error: unknown) => {
      throw holderError(error);
    });
    return this.ask(origin, randomId(), request);
  }

  /**
   * A site's `wallet_offerCredential({ credential_offer })`. Nothing is fetched for a
   * site the user is not connected to before they decide; any fault is the one site refusal.
   */
  async offerFromSite(origin: string, requestId: string, credentialOffer: unknown): Promise<IssuanceResult> {
    if (await this.ctx.desk.queue.hasPending(origin, 'issuance')) {
      throw new DomainError('pending', 'An issuance request from this origin is already pending; wait for it to finish.');
    }
    let request: IssuanceRequest;
    try {
      const source = offerSourceOf(credentialOffer);
      const offer = 'byValue' in source ? parseCredentialOffer(source.byValue) : null;
      request = { via: 'site', source, offer, preview: null };
      const wallet = await this.ctx.session.current();
      if (wallet && (await this.isConnected(wallet, origin))) {
        const known = offer ?? (await resolveCredentialOffer(this.ctx.ports.fetcher, source));
        request = { via: 'site', source, offer: known, preview: await previewOf(this.ctx.ports.fetcher, known) };
      }
    } catch (error) {
      throw await this.refuseSite(origin, error);
    }
    return this.ask(origin, requestId, request, { method: 'wallet_offerCredential', origin, credentialOffer });
  }

  readonly approvalKind: ApprovalKindHandler<'issuance'> = {
    kind: 'issuance',
    view: async (_wallet, approval) => ({ show: issuanceView(approval) }),
    approve: async (wallet, approval, selection) => {
      const request = issuanceRequestOf(approval);
      try {
        return await this.receive(wallet, approval.id, request, selection?.txCode);
      } catch (error) {
        // A code the user can correct leaves the window open with the reason.
        if (isDomainError(error) && error.code === 'invalid_input') throw error;
        if (request.via === 'site') throw await this.refuseSite(approval.origin, error);
        throw holderError(error);
      }
    },
    rejected: async (_wallet, approval) => {
      const pending = await this.authorizations.get(approval.id);
      if (!pending) return;
      await this.authorizations.forget(pending);
      await this.ctx.ports.authorizationTabs?.close(pending.tabId).catch(() => undefined);
    },
  };

  /**
   * A sign-in tab arrived at the redirect URI: its code (or the issuer's error) is
   * recorded for the approval whose state it carries, the tab closed, and the
   * approval continued. A redirect with a state the wallet did not send changes nothing.
   */
  async authorizationRedirect(tabId: number, url: string): Promise<void> {
    await this.ctx.ports.authorizationTabs?.close(tabId).catch(() => undefined);
    const state = new URL(url).searchParams.get('state');
    const approvalId = state ? await this.authorizations.approvalOfState(state) : undefined;
    const pending = approvalId ? await this.authorizations.get(approvalId) : undefined;
    if (!pending || pending.tabId !== tabId || pending.outcome) return;
    let outcome: NonNullable<PendingAuthorization['outcome']>;
    try {
      outcome = { code: codeFromRedirect(url, pending.state) };
    } catch (error) {
      outcome = { error: error instanceof Error ? error.message : String(error) };
    }
    await this.authorizations.record(pending, outcome);
    // Locked meanwhile: the window asks to unlock, and its approve continues from here.
    await this.ctx.desk.resolve(pending.approvalId, 'approve').catch((error: unknown) => {
      if (!isDomainError(error)) throw error;
    });
  }

  private async prepare(via: IssuanceVia, input: string): Promise<{ offer: CredentialOffer; request: IssuanceRequest }> {
    const source = offerSourceOf(input);
    const offer = await resolveCredentialOffer(this.ctx.ports.fetcher, source);
    return { offer, request: { via, source, offer, preview: await previewOf(this.ctx.ports.fetcher, offer) } };
  }

  private async ask(origin: string, requestId: string, request: IssuanceRequest, hashed: unknown = request): Promise<IssuanceResult> {
    const requestHash = await hashJson(hashed);
    const approval = { kind: 'issuance' as const, origin, requestId, requestHash, issuance: request };
    return (await this.ctx.desk.ask(requestId, approval)) as IssuanceResult;
  }

  /** After approval: the whole exchange, every credential verified before any is kept. */
  private async receive(wallet: UnlockedWallet, approvalId: string, request: IssuanceRequest, txCode: string | undefined): Promise<IssuanceResult> {
    const fetcher = this.ctx.ports.fetcher;
    const offer = request.offer ?? (await resolveCredentialOffer(fetcher, request.source));
    const metadata = await loadIssuer(fetcher, offer);
    const issuerOrigin = new URL(offer.credentialIssuer).origin;
    const holder = await this.holderKeyFor(wallet, issuerOrigin);
    const { token, clientId } = offer.preAuthorized
      ? await this.preAuthorizedToken(offer, metadata, txCode)
      : { token: await this.authorizationCodeToken(approvalId, offer, metadata), clientId: TESSERA_CLIENT_ID };
    const issued = await fetchCredentials(fetcher, metadata, offer.configurationIds, token, holder, { now: this.ctx.ports.now, clientId });
    const issuerDisplay = request.preview?.issuerDisplay ?? (await issuerDisplayOf(fetcher, metadata.display));
    const received: Received[] = [];
    for (const { configurationId, credential } of issued) {
      const configuration = metadata.configurations[configurationId];
      const verified = await verifyCredential(credential, {
        resolver: this.ctx.resolver,
        holderKeys: new OriginHolderKeys(wallet.pairwise, issuerOrigin),
        now: this.ctx.ports.now(),
      });
      if (configuration && verified.format !== configuration.format) {
        throw new IssuanceError(`The issuer sent ${configurationId} as ${verified.format}, not as ${configuration.format} as its metadata says`);
      }
      const status = await this.ctx.status.statusOf(verified);
      if (status.state === 'revoked' || status.state === 'suspended') throw new IssuanceError(`The issued ${configurationId} is ${status.state}`);
      const display = configuration ? await credentialDisplayOf(fetcher, configuration) : undefined;
      received.push({ verified, status, extras: { display, issuerDisplay } });
    }
    const ids = [];
    for (const { verified, status, extras } of received) ids.push((await keepCredential(this.ctx, verified, status, issuerOrigin, extras)).id);
    return { id: ids[0] as string, ids };
  }

  /** The token for a pre-authorized code; anonymous where the server allows it, else as Tessera's client id (then named in proofs too). */
  private async preAuthorizedToken(
    offer: CredentialOffer,
    metadata: IssuerMetadata,
    txCode: string | undefined,
  ): Promise<{ token: AccessToken; clientId: string | undefined }> {
    const pre = offer.preAuthorized!;
    const code = pre.txCode ? txCodeOrAsk(() => checkTxCode(pre.txCode!, txCode?.trim())) : undefined;
    const server = await loadAuthorizationServer(this.ctx.ports.fetcher, metadata, pre.authorizationServer);
    const clientId = server.preAuthorizedAnonymous ? undefined : TESSERA_CLIENT_ID;
    try {
      return { token: await redeemGrant(this.ctx.ports.fetcher, server, { type: 'pre-authorized', code: pre.code, txCode: code, clientId }), clientId };
    } catch (error) {
      // A wrong transaction code: the user may type it again.
      if (code !== undefined && error instanceof IssuanceError) throw new DomainError('invalid_input', error.message);
      throw error;
    }
  }

  /** First approval: open the sign-in tab (the request stays pending). After the redirect: the code, exchanged once. */
  private async authorizationCodeToken(approvalId: string, offer: CredentialOffer, metadata: IssuerMetadata): Promise<AccessToken> {
    const fetcher = this.ctx.ports.fetcher;
    const tabs = this.ctx.ports.authorizationTabs;
    if (!tabs) throw new IssuanceError('This offer needs a sign-in at the issuer, and this wallet cannot open one here');
    const pending = await this.authorizations.get(approvalId);
    if (!pending) {
      const server = await loadAuthorizationServer(fetcher, metadata, offer.authorizationCode?.authorizationServer);
      if (!server.authorizationEndpoint) throw new IssuanceError('The issuer\'s authorization server has no authorization_endpoint');
      const start = await startAuthorization({
        authorizationEndpoint: server.authorizationEndpoint,
        credentialIssuer: offer.credentialIssuer,
        redirectUri: tabs.redirectUri,
        configurations: offer.configurationIds.map((id) => ({ id, scope: metadata.configurations[id]?.scope })),
        issuerState: offer.authorizationCode?.issuerState,
      });
      const tabId = await tabs.open(start.url);
      await this.authorizations.begin({ approvalId, state: start.state, codeVerifier: start.codeVerifier, redirectUri: start.redirectUri, tabId });
      throw new DomainError('invalid_input', SIGN_IN_NOTICE);
    }
    if (!pending.outcome) throw new DomainError('invalid_input', SIGN_IN_NOTICE);
    await this.authorizations.forget(pending);
    if ('error' in pending.outcome) throw new IssuanceError(pending.outcome.error);
    const server = await loadAuthorizationServer(fetcher, metadata, offer.authorizationCode?.authorizationServer);
    return redeemGrant(fetcher, server, {
      type: 'authorization-code',
      code: pending.outcome.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      clientId: TESSERA_CLIENT_ID,
    });
  }

  /** The pairwise DID of the issuer's origin, made and stored now if the holder never met it. */
  private async holderKeyFor(wallet: UnlockedWallet, origin: string): Promise<HolderKey> {
    const site = await this.ctx.commit.run(
      async (unit) => {
        const found = await wallet.pairwise.find(origin);
        if (found) return found;
        const prepared = await wallet.pairwise.findOrPrepare(origin);
        unit.write(await wallet.pairwise.saveOp(prepared));
        return prepared;
      },
      { lock: [pairwiseLock(origin)] },
    );
    return { signer: await wallet.pairwise.signer(site), kid: site.kid, publicJwk: ed25519PublicJwk(site.keyRef) };
  }

  private async isConnected(wallet: UnlockedWallet, origin: string): Promise<boolean> {
    const site = await wallet.pairwise.find(origin);
    return Boolean(site?.identityGrantId && (await wallet.grants.active(site.identityGrantId)));
  }

  /** The site's one answer; the precise reason goes to the activity log (when unlocked: the ledger's key is needed). */
  private async refuseSite(origin: string, error: unknown): Promise<DomainError> {
    if (isDomainError(error) && error.code !== 'invalid_credential' && error.code !== 'invalid_request') return error;
    if (!(error instanceof IssuanceError || error instanceof CredentialError || isDomainError(error))) throw error;
    const reason = error.message.slice(0, 500);
    if (await this.ctx.session.current()) {
      await this.ctx.commit.run(async (unit) => unit.emit({ type: 'offer.refused', origin, reason })).catch(() => undefined);
    }
    return siteRefusal();
  }
}

function txCodeOrAsk(check: () => string): string {
  try {
    return check();
  } catch (error) {
    if (error instanceof IssuanceError) throw new DomainError('invalid_input', error.message);
    throw error;
  }
}

/** For the holder: the precise reason, as an invalid credential. */
function holderError(error: unknown): unknown {
  if (error instanceof IssuanceError || error instanceof CredentialError) return new DomainError('invalid_credential', error.message);
  return error;
}

