/**
 * Settings: the accreditation bodies this wallet trusts (DESIGN §8), a list of its own,
 * separate from the credential issuers. A research requester counts as verified only
 * when its accreditation credential comes from a body on this list.
 */
import type { AccreditorView } from '../../protocol/internal.ts';
import { sendUiCommand } from '../components/wallet-client.ts';
import { TrustList, type TrustListConfig } from './trust-list.tsx';

const ACCREDITORS: TrustListConfig<AccreditorView> = {
  sectionId: 'accreditors',
  heading: 'Accreditation bodies',
  intro: (
    <>
      An accreditation body (an ethics board, a data-access committee, a national health-data access body) vouches that
      a research institution may ask for data for a named study: only requesters accredited by a body on this list are
      shown as verified, and this list is separate from your trusted issuers.
    </>
  ),
  noun: 'accreditation body',
  emptyText: 'No accreditation bodies yet: every research requester is shown as unverified.',
  addHeading: 'Add an accreditation body',
  didPlaceholder: 'did:web:ethics-board.example',
  labelPlaceholder: 'National research ethics board',
  labelHint: 'Shown on the consent screen as the body that accredited a requester.',
  removeTitle: 'Stop trusting this accreditation body',
  addedText: (label) => `${label} is now a trusted accreditation body.`,
  ids: {
    row: (did) => `accreditor-${did}`,
    remove: (did) => `accreditor-remove-${did}`,
    loadError: 'accreditors-error',
    empty: 'accreditors-empty',
    removeError: 'accreditor-remove-error',
    did: 'accreditor-did',
    label: 'accreditor-label',
    add: 'accreditor-add',
    error: 'accreditor-error',
    added: 'accreditor-added',
  },
  list: () => sendUiCommand({ command: 'listAccreditors' }),
  add: (did, label) => sendUiCommand({ command: 'addAccreditor', did, label }),
  remove: (did) => sendUiCommand({ command: 'removeAccreditor', did }),
};

export function AccreditorsSection({ onLocked }: { onLocked: () => void }) {
  return <TrustList config={ACCREDITORS} onLocked={onLocked} />;
}
