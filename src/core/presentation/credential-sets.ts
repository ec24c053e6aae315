import type { DcqlQuery } from 'dcql';

/** A credential set of the request and the options the held credentials can fill. */
export interface CredentialSetOutcome {
  options: string[][];
  required: boolean;
  purpose: unknown;
  matchingOptions: string[][];
}

/**
 * Whether presenting exactly the credential queries `answered` fits the request
 * (OpenID4VP 1.0 §6.4.2): without credential_sets every query is required; with
 * them, every required set needs one option fully answered, and every answered query
 * must belong to a fully answered option (nothing beyond what a chosen option asks).
 */
export function isSatisfiedBy(query: DcqlQuery, answered: readonly string[]): boolean {
  const ids = new Set(answered);
  if (answered.some((id) => !query.credentials.some((credential) => credential.id === id))) return false;
  if (!query.credential_sets) return query.credentials.every((credential) => ids.has(credential.id));
  const filled = query.credential_sets.map((set) => set.options.filter((option) => option.every((id) => ids.has(id))));
  if (query.credential_sets.some((set, i) => set.required && filled[i]!.length === 0)) return false;
  const covered = new Set(filled.flat(2));
  return answered.every((id) => covered.has(id));
}
