import type { IdentityResult } from '../../src/protocol/rpc.ts';
import { fromHex, toBase64Url } from '../../src/core/encoding.ts';
import { Wallet } from '../../src/core/wallet/wallet.ts';
import { makeTestPorts, type TestPorts } from './test-ports.ts';

export const TEST_PASSWORD = 'correct horse battery';

/**
 * A wallet over in-memory ports, created and unlocked, that plays the user: it starts
 * requests, waits for the approval they open and decides it.
 */
export class WalletDriver {
  readonly ports: TestPorts = makeTestPorts();
  readonly wallet = new Wallet(this.ports);
  private counter = 0;

  static async created(): Promise<WalletDriver> {
    const driver = new WalletDriver();
    await driver.wallet.locking.create(TEST_PASSWORD);
    return driver;
  }

  /** A fresh page request id. */
  requestId(): string {
    return `req-${String(++this.counter).padStart(16, '0')}`;
  }

  /** Runs a request that opens an approval; `decide` plays the user. */
  async withApproval<T>(start: () => Promise<T>, decide: (approvalId: string) => Promise<void>): Promise<T> {
    const shown = this.ports.presenter.nextApproval();
    const result = start();
    await decide(await shown);
    return result;
  }

  /** `origin` logs in (the user approves): the site learns its pairwise DID, as an issuer does before it issues. */
  login(origin: string, nonce = 'login-nonce-0001'): Promise<IdentityResult> {
    return this.withApproval(
      () => this.wallet.identity.request(origin, this.requestId(), { nonce }),
      (approvalId) => this.wallet.desk.resolve(approvalId, 'approve'),
    );
  }

  /** The public key of `origin`'s pairwise DID as a JWK (what an issuer binds a credential to); the site must have logged in. */
  async siteHolderJwk(origin: string): Promise<JsonWebKey> {
    const site = await (await this.wallet.session.require()).pairwise.find(origin);
    if (!site) throw new Error(`${origin} has no pairwise DID yet: log in first`);
    return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(fromHex(site.keyRef)) };
  }

  /** `origin` offers a credential and the user keeps it; its id. */
  async keepOffer(origin: string, credential: string): Promise<string> {
    const { intake } = await this.wallet.credentials();
    const { id } = await this.withApproval(
      () => intake.offer(origin, this.requestId(), { credential }),
      (approvalId) => this.wallet.desk.resolve(approvalId, 'approve'),
    );
    return id;
  }
}
