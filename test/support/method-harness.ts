import { makeTestPorts, type TestPorts } from './test-ports.ts';
import { Wallet } from '../../src/core/wallet/wallet.ts';
import type { MethodHandler } from '../../src/background/methods/types.ts';

export const SITE = 'http://127.0.0.1:8080';

/** A created, unlocked wallet over in-memory ports, and a way to call one method as a page would. */
export async function methodHarness(): Promise<{ wallet: Wallet; ports: TestPorts; call: (handler: MethodHandler, params: unknown, origin?: string) => Promise<unknown> }> {
  const ports = makeTestPorts();
  const wallet = new Wallet(ports);
  await wallet.locking.create('correct horse battery');
  let counter = 0;
  const call = async (handler: MethodHandler, params: unknown, origin = SITE) =>
    handler.run(await handler.flow(wallet), { origin, requestId: `method-test-${String(++counter).padStart(8, '0')}` }, params);
  return { wallet, ports, call };
}

/** Approves the next approval window the presenter shows. */
export async function approveNext(wallet: Wallet, ports: TestPorts, selection?: Parameters<Wallet['desk']['resolve']>[2]): Promise<void> {
  await wallet.desk.resolve(await ports.presenter.nextApproval(), 'approve', selection);
}
