import type { AccreditorView, CredentialView, DataCategoryRuleView, ResearchPolicyView } from '../../protocol/internal.ts';
import { trustLock } from '../credentials/trust-list.ts';
import { DomainError } from '../errors.ts';
import { revisedPolicy, withOverride, type ResearchPolicy } from '../research/data-categories.ts';
import { RESEARCH_POLICY_LOCK } from '../research/research-store.ts';
import { toCredentialView } from './credential-views.ts';
import type { FlowContext } from './flow-context.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/** The accreditation list's record locks, apart from the credential issuers'. */
const accreditorLock = (did: string) => `accreditor:${trustLock(did)}`;

/**
 * The holder's research settings (DESIGN.md §8): the accreditation bodies they trust,
 * the data categories and which are sensitive, and a credential's categories set by
 * hand. Each change commits with its ledger entry (the list changes) or alone (the policy).
 */
export class ResearchSettings {
  constructor(private readonly ctx: FlowContext) {}

  async accreditors(): Promise<AccreditorView[]> {
    return (await this.ctx.session.require()).research.accreditors.list();
  }

  async addAccreditor(did: string, label: string): Promise<AccreditorView[]> {
    const wallet = await this.ctx.session.require();
    await this.ctx.commit.run(
      async (unit) => {
        const { op, issuer } = await wallet.research.accreditors.addOp(did, label);
        unit.write(op);
        unit.emit({ type: 'accreditor.changed', did: issuer.did, trusted: true });
      },
      { lock: [accreditorLock(did)] },
    );
    return wallet.research.accreditors.list();
  }

  async removeAccreditor(did: string): Promise<AccreditorView[]> {
    const wallet = await this.ctx.session.require();
    await this.ctx.commit.run(
      async (unit) => {
        const op = await wallet.research.accreditors.removeOp(did);
        if (!op) return;
        unit.write(op);
        unit.emit({ type: 'accreditor.changed', did, trusted: false });
      },
      { lock: [accreditorLock(did)] },
    );
    return wallet.research.accreditors.list();
  }

  async policy(): Promise<ResearchPolicyView> {
    return policyView(await (await this.ctx.session.require()).research.policy());
  }

  async setPolicy(categories: DataCategoryRuleView[], sensitive: string[]): Promise<ResearchPolicyView> {
    const wallet = await this.ctx.session.require();
    return policyView(await this.revise(wallet, (policy) => revisedPolicy(policy, categories, sensitive)));
  }

  async setCredentialCategories(credentialId: string, categories: string[] | null): Promise<CredentialView> {
    const wallet = await this.ctx.session.require();
    const record = await wallet.credentials.get(credentialId);
    if (!record) throw new DomainError('not_found', 'No such credential.');
    const policy = await this.revise(wallet, (current) => withOverride(current, credentialId, categories));
    return toCredentialView(wallet, record, policy);
  }

  /** Read-modify-write of the policy record under its lock, re-read inside it. */
  private revise(wallet: UnlockedWallet, change: (policy: ResearchPolicy) => ResearchPolicy): Promise<ResearchPolicy> {
    return this.ctx.commit.run(
      async (unit) => {
        const next = change(await wallet.research.policy());
        unit.write(await wallet.research.policyOp(next));
        return next;
      },
      { lock: [RESEARCH_POLICY_LOCK] },
    );
  }
}

const policyView = ({ categories, sensitive }: ResearchPolicy): ResearchPolicyView => ({ categories, sensitive });
