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
  constructor(private readonly ctx: CredentialContext) {}

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
      throw this.refuseSite(origin, error);
    }
    return this.ask(origin, requestId, request, { method: 'wallet_offerCredential', origin, credentialOffer });
  }

  readonly approvalKind: ApprovalKindHandler<'issuance'> = {
    kind: 'issuance',
    view: async (_wallet, approval) => ({ show: issuanceView(approval) }),
    approve: async (wallet, approval, selection) => {
      const request = issuanceRequestOf(approval);
      try {
        return await this.receive(wallet, request, selection?.txCode);
      } catch (error) {
        // A code the user can correct leaves the window open with the reason.
        if (isDomainError(error) && error.code === 'invalid_input') throw error;
        if (request.via === 'site') throw this.refuseSite(approval.origin, error);
        throw holderError(error);
      }
    },
  };

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
  private async receive(wallet: UnlockedWallet, request: IssuanceRequest, txCode: string | undefined): Promise<IssuanceResult> {
    const fetcher = this.ctx.ports.fetcher;
    const offer = request.offer ?? (await resolveCredentialOffer(fetcher, request.source));
    const metadata = await loadIssuer(fetcher, offer);
    const pre = offer.preAuthorized;
    if (!pre) throw new IssuanceError('This offer needs a login at the issuer (the authorization code flow), which this build cannot run yet');
    const code = pre.txCode ? txCodeOrAsk(() => checkTxCode(pre.txCode!, txCode?.trim())) : undefined;
    const issuerOrigin = new URL(offer.credentialIssuer).origin;
    const holder = await this.holderKeyFor(wallet, issuerOrigin);
    const server = await loadAuthorizationServer(fetcher, metadata, pre.authorizationServer);
    let token;
    try {
      token = await redeemGrant(fetcher, server, { type: 'pre-authorized', code: pre.code, txCode: code });
    } catch (error) {
      // A wrong transaction code: the user may type it again.
      if (code !== undefined && error instanceof IssuanceError) throw new DomainError('invalid_input', error.message);
      throw error;
    }
    const issued = await fetchCredentials(fetcher, metadata, offer.configurationIds, token, holder, { now: this.ctx.ports.now });
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

  /** The site's one answer; the reason goes to the worker's log for the holder (the activity log has no refusal entry yet). */
  private refuseSite(origin: string, error: unknown): DomainError {
    if (isDomainError(error) && error.code !== 'invalid_credential' && error.code !== 'invalid_request') return error;
    if (!(error instanceof IssuanceError || error instanceof CredentialError || isDomainError(error))) throw error;
    console.warn(`Tessera: refused the credential offer of ${origin}: ${error.message}`);
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

