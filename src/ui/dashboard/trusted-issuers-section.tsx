/**
 * Settings: the issuers this wallet trusts. A credential from a listed DID shows the
 * label given here and a "Trusted" badge; any other issuer shows "Unknown issuer".
 * Trust affects display and the consent screen; it never changes a credential.
 */
import type { TrustedIssuerView } from '../../protocol/internal.ts';
import { sendUiCommand } from '../components/wallet-client.ts';
import { TrustList, type TrustListConfig } from './trust-list.tsx';

const TRUSTED_ISSUERS: TrustListConfig<TrustedIssuerView> = {
  sectionId: 'trusted-issuers',
  heading: 'Trusted issuers',
  intro: (
    <>
      Credentials from these issuers show as trusted, with the label you gave. Any other issuer is shown as &ldquo;Unknown
      issuer&rdquo;: anyone can sign a credential, so trust only issuers you know.
    </>
  ),
  noun: 'issuer',
  emptyText: 'No trusted issuers yet.',
  addHeading: 'Add an issuer',
  didPlaceholder: 'did:web:registry.example',
  labelPlaceholder: 'City civic registry',
  labelHint: 'Shown instead of the DID on credentials from this issuer.',
  removeTitle: 'Stop trusting this issuer',
  addedText: (label) => `${label} is now a trusted issuer.`,
  ids: {
    row: (did) => `trusted-${did}`,
    remove: (did) => `untrust-${did}`,
    loadError: 'trusted-error',
    empty: 'trusted-empty',
    removeError: 'untrust-error',
    did: 'trust-did',
    label: 'trust-label',
    add: 'trust-add',
    error: 'trust-error',
    added: 'trust-added',
  },
  list: () => sendUiCommand({ command: 'listTrustedIssuers' }),
  add: (did, label) => sendUiCommand({ command: 'addTrustedIssuer', did, label }),
  remove: (did) => sendUiCommand({ command: 'removeTrustedIssuer', did }),
};

export function TrustedIssuersSection({ onLocked, onChanged }: { onLocked: () => void; onChanged: () => void }) {
  return <TrustList config={TRUSTED_ISSUERS} onLocked={onLocked} onChanged={onChanged} />;
}
