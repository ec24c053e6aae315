import { claimPathMatches } from '../../protocol/claim-path.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import type { GrantedCredential } from './grant-record.ts';

/**
 * The issuer's labels of the claims a grant releases, kept with the grant so that its
 * card and receipt read as the consent window did, whatever becomes of the credential.
 */
export function grantedLabels(record: Pick<CredentialRecord, 'display'>, released: readonly (string | number)[][]): Pick<GrantedCredential, 'claimLabels'> {
  const labels = (record.display?.claims ?? [])
    .filter((claim) => claim.labels.length > 0 && released.some((path) => claimPathMatches(claim.path, path)))
    .map(({ path, labels }) => ({ path, labels }));
  return labels.length > 0 ? { claimLabels: labels } : {};
}
