import type { CredentialDetailView, CredentialView } from '../../protocol/internal.ts';
import { trustLock, type TrustedIssuer } from '../credentials/trust-list.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import { DomainError } from '../errors.ts';
import { toCredentialView } from './credential-views.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { CredentialContext } from './flow-context.ts';

/** What the holder sees and manages in the dashboard: held credentials and the issuer trust list. */
export class CredentialHoldings {
  constructor(private readonly ctx: CredentialContext) {}

  async list(): Promise<CredentialView[]> {
    const wallet = await this.ctx.session.require();
    const policy = await wallet.research.policy();
    return Promise.all((await wallet.credentials.list()).map((r) => toCredentialView(wallet, r, policy)));
  }

  async detail(id: string): Promise<CredentialDetailView> {
    const wallet = await this.ctx.session.require();
    const record = await this.require(wallet, id);
    return { ...(await toCredentialView(wallet, record)), raw: record.raw };
  }

  async delete(id: string): Promise<void> {
    const wallet = await this.ctx.session.require();
    const deleted = await wallet.credentials.delete(id, (ops) =>
      this.ctx.commit.run(async (unit) => {
        unit.write(...ops);
        unit.emit({ type: 'credential.deleted', credentialId: id });
      }),
    );
    if (!deleted) throw new DomainError('not_found', 'No such credential.');
  }

  /** "Check now": the holder asks, so the status list is fetched even if its ttl has not passed. */
  async refreshStatus(id: string): Promise<CredentialView> {
    const wallet = await this.ctx.session.require();
    return toCredentialView(wallet, await this.ctx.status.refresh(wallet, await this.require(wallet, id), true));
  }

  /** The scheduled check; does nothing while locked. */
  async refreshDueStatuses(): Promise<number> {
    const wallet = await this.ctx.session.current();
    return wallet ? this.ctx.status.refreshDue(wallet) : 0;
  }

  async trustedIssuers(): Promise<TrustedIssuer[]> {
    return (await this.ctx.session.require()).trust.list();
  }

  async trustIssuer(did: string, label: string): Promise<TrustedIssuer[]> {
    const wallet = await this.ctx.session.require();
    await this.ctx.commit.run(
      async (unit) => {
        const { op, issuer } = await wallet.trust.addOp(did, label);
        unit.write(op);
        unit.emit({ type: 'trust.changed', did: issuer.did, trusted: true });
      },
      { lock: [trustLock(did)] },
    );
    return wallet.trust.list();
  }

  async distrustIssuer(did: string): Promise<TrustedIssuer[]> {
    const wallet = await this.ctx.session.require();
    await this.ctx.commit.run(
      async (unit) => {
        const op = await wallet.trust.removeOp(did);
        if (!op) return;
        unit.write(op);
        unit.emit({ type: 'trust.changed', did, trusted: false });
      },
      { lock: [trustLock(did)] },
    );
    return wallet.trust.list();
  }

  private async require(wallet: UnlockedWallet, id: string): Promise<CredentialRecord> {
    const record = await wallet.credentials.get(id);
    if (!record) throw new DomainError('not_found', 'No such credential.');
    return record;
  }
}
