import { createAgent, type IAgentPlugin, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager } from '@veramo/did-manager';
import { JwkDIDProvider } from '@veramo/did-provider-jwk';
import { didJwkResolver } from './did-resolvers.ts';
import { KeyDIDProvider, getDidKeyResolver } from '@veramo/did-provider-key';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { IIdentifier, IKey } from '@veramo/core-types';
import type { ManagedPrivateKey } from '@veramo/key-manager';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { KeyValueStore } from '../ports.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import { EncryptedDIDStore, EncryptedKeyStore, EncryptedPrivateKeyStore } from './veramo-stores.ts';

export type IdentityAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>;

import { LOCAL_KMS } from './agent-constants.ts';

/**
 * The Veramo agent of an unlocked wallet: keys and DIDs in our encrypted stores,
 * did:key (Ed25519) and did:jwk (P-256) providers and resolvers, JWT credentials.
 * Schema validation stays off: it needs z-schema, unused and heavy in the bundle.
 */
export function createIdentityAgent(store: KeyValueStore, keys: VaultKeys, extraPlugins: IAgentPlugin[] = []): IdentityAgent {
  const keyStore = new EncryptedKeyStore(new EncryptedCollection<IKey>(store, 'keys', keys));
  const privateKeyStore = new EncryptedPrivateKeyStore(new EncryptedCollection<ManagedPrivateKey>(store, 'privateKeys', keys));
  const didStore = new EncryptedDIDStore(new EncryptedCollection<IIdentifier>(store, 'dids', keys));
  return createAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>({
    schemaValidation: false,
    plugins: [
      new KeyManager({ store: keyStore, kms: { [LOCAL_KMS]: new KeyManagementSystem(privateKeyStore) } }),
      new DIDManager({
        store: didStore,
        defaultProvider: 'did:key',
        providers: {
          'did:key': new KeyDIDProvider({ defaultKms: LOCAL_KMS }),
          'did:jwk': new JwkDIDProvider({ defaultKms: LOCAL_KMS }),
        },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver(), ...didJwkResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
      ...extraPlugins,
    ],
  });
}
