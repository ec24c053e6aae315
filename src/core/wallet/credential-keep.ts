import type { CredentialDisplay, IssuerDisplay } from '../credentials/display.ts';
import type { CredentialRecord, CredentialStatus, VerifiedCredential } from '../credentials/types.ts';
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
  const wallet = await ctx.session.require();
  const record: CredentialRecord = {
    ...verified,
    id: randomId(),
    receivedAt: new Date(ctx.ports.now()).toISOString(),
    receivedFrom,
    statusResult: status,
    ...(extras.display ? { display: extras.display } : {}),
    ...(extras.issuerDisplay && extras.issuerDisplay.length > 0 ? { issuerDisplay: extras.issuerDisplay } : {}),
  };
  await wallet.credentials.save(record, (ops) =>
    ctx.commit.run(async (unit) => {
      unit.write(...ops);
      unit.emit({ type: 'credential.received', credentialId: record.id, from: receivedFrom, format: record.format, types: record.types, issuer: record.issuer });
    }),
  );
  return record;
}
