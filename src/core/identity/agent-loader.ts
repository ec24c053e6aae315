import type { KeyValueStore } from '../ports.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import type { IAgentPlugin } from '@veramo/core-types';
import type { IdentityAgent } from './agent.ts';

/**
 * Loads the Veramo agent on first use. The import is dynamic so the bundler keeps
 * Veramo's module graph (ethers, schema validators, …) out of the worker's start-up:
 * a silent login never needs it, only creating a DID does.
 */
export function lazyIdentityAgent(
  store: KeyValueStore,
  keys: VaultKeys,
  extraPlugins: () => Promise<IAgentPlugin[]> = async () => [],
): () => Promise<IdentityAgent> {
  let agent: Promise<IdentityAgent> | null = null;
  return () =>
    (agent ??= Promise.all([import('./agent.ts'), extraPlugins()]).then(([m, plugins]) => m.createIdentityAgent(store, keys, plugins)));
}
