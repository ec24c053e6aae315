import type { CredentialDisplay, IssuerDisplay } from '../credentials/display.ts';
import type { CredentialRecord, CredentialStatus, VerifiedCredential } from '../credentials/types.ts';
import { typeMetadataFor } from '../credentials/type-metadata.ts';
import { randomId } from '../encoding.ts';
import type { CredentialContext } from './flow-context.ts';

/** What a receiving path knows besides the credential: its display, from the issuer's metadata. */
export interface KeepExtras {
  display?: CredentialDisplay;
  issuerDisplay?: IssuerDisplay[];
}

/**
 * Stores a verified credential: its page and its `credential.received` ledger entry
 * land in one transaction. Every receiving path (a site's offer, the holder's import,
 * OpenID4VCI) keeps through here.
 */
export async function keepCredential(
  ctx: CredentialContext,
  verified: VerifiedCredential,
  status: CredentialStatus,
  receivedFrom: string,
  extras: KeepExtras = {},
): Promise<CredentialRecord> {
  // A credential whose issuer signature was deferred has not verified: never kept.
  if (verified.issuerCheck !== undefined) throw new Error('internal: a credential whose issuer was not checked cannot be kept');
  const wallet = await ctx.session.require();
  const { display, notes } = await displayToKeep(ctx, verified, extras);
  const record: CredentialRecord = {
    ...verified,
    id: randomId(),
    receivedAt: new Date(ctx.ports.now()).toISOString(),
    receivedFrom,
    statusResult: status,
    ...(display ? { display } : {}),
    ...(extras.issuerDisplay && extras.issuerDisplay.length > 0 ? { issuerDisplay: extras.issuerDisplay } : {}),
    ...(notes.length > 0 ? { displayNotes: notes } : {}),
  };
  await wallet.credentials.save(record, (ops) =>
    ctx.commit.run(async (unit) => {
      unit.write(...ops);
      unit.emit({ type: 'credential.received', credentialId: record.id, from: receivedFrom, format: record.format, types: record.types, issuer: record.issuer });
    }),
  );
  return record;
}

/**
 * The display kept with the credential: an SD-JWT VC's type metadata (fetched now, once
 * the holder has accepted) wins over the issuer metadata's; when it cannot be used the
 * issuer metadata's display (if any) stays and the reason is kept for the holder.
 */
export async function displayToKeep(ctx: CredentialContext, verified: VerifiedCredential, extras: KeepExtras): Promise<{ display?: CredentialDisplay; notes: string[] }> {
  if (extras.display?.source === 'type-metadata') return { display: extras.display, notes: [] };
  const outcome = await typeMetadataFor(ctx.ports.fetcher, verified);
  if (outcome.kind === 'used') return { display: outcome.display, notes: outcome.warnings };
  const notes = outcome.kind === 'not-used' ? [outcome.reason] : [];
  return extras.display ? { display: extras.display, notes } : { notes };
}
