import type { DcqlQuery } from 'dcql';
import type { CredentialRecord, HolderBinding } from '../credentials/types.ts';
import type { JwtSigner } from '../identity/jwt.ts';
import type { ClaimPathPointer } from './claim-path.ts';
import { isSatisfiedBy } from './credential-sets.ts';
import { matchDcql } from './dcql-match.ts';
import { SelectionError } from './errors.ts';
import type { ParsedRequest } from './openid4vp-request.ts';
import { encryptResponse } from './response-encryption.ts';
import { presentSdJwt } from './sd-jwt-presentation.ts';
import { createVpJwt } from './vp-jwt.ts';

/** `vp_token`: per credential query id, one presentation per chosen credential (always an array). */
export type VpToken = Record<string, string[]>;

/** One credential the holder chose to answer one credential query. */
export interface PresentationChoice {
  queryId: string;
  record: CredentialRecord;
  /**
   * SD-JWT: the claims to disclose (the holder may withhold or add); default: exactly
   * the requested claims. Ignored for JWT VCs, which leave whole.
   */
  disclose?: readonly ClaimPathPointer[];
  /** If given, must equal the query's `require_cryptographic_holder_binding`. */
  holderBinding?: boolean;
}

export interface PresentationArgs {
  request: Pick<ParsedRequest, 'origin' | 'nonce' | 'dcqlQuery'>;
  choices: readonly PresentationChoice[];
  /** The signer of the wallet key a credential is bound to. */
  signerFor: (binding: HolderBinding) => Promise<JwtSigner> | JwtSigner;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * Builds the `vp_token` from the holder's choices, after checking they fit the request
 * (each credential answers its query and is presentable, `multiple`, credential_sets).
 * Every presentation has `aud` = `origin:<page origin>` and the request's nonce.
 */
export async function createVpToken(args: PresentationArgs): Promise<VpToken> {
  const { dcqlQuery, origin, nonce } = args.request;
  checkChoices(dcqlQuery, args.choices, args.now);
  const audience = `origin:${origin}`;
  const vpToken: VpToken = {};
  for (const choice of args.choices) {
    const query = dcqlQuery.credentials.find((credential) => credential.id === choice.queryId)!;
    const bound = query.require_cryptographic_holder_binding;
    const { record } = choice;
    let presentation: string;
    if (record.format === 'dc+sd-jwt') {
      const disclose = choice.disclose ?? requestedPaths(dcqlQuery, choice);
      const keyBinding = bound
        ? { signer: await signerOf(args, record.holder), audience, nonce, issuedAt: Math.floor(args.now / 1000) }
        : null;
      presentation = await presentSdJwt(record.raw, disclose, keyBinding);
    } else if (bound) {
      const signer = await signerOf(args, record.holder);
      presentation = await createVpJwt(signer, { holder: record.holder.did, credentials: [record.raw], audience, nonce, now: args.now });
    } else {
      presentation = record.raw;
    }
    (vpToken[choice.queryId] ??= []).push(presentation);
  }
  return vpToken;
}

/**
 * The Digital Credentials API answer `data`: `{ vp_token }` for `dc_api`, or
 * `{ response }` (a JWE to the verifier's key) for `dc_api.jwt`.
 */
export async function buildVpToken(
  args: PresentationArgs & { request: Pick<ParsedRequest, 'origin' | 'nonce' | 'dcqlQuery' | 'encryption'> },
): Promise<{ vp_token: VpToken } | { response: string }> {
  const vpToken = await createVpToken(args);
  if (!args.request.encryption) return { vp_token: vpToken };
  return { response: await encryptResponse({ vp_token: vpToken }, args.request.encryption) };
}

async function signerOf(args: PresentationArgs, binding: HolderBinding): Promise<JwtSigner> {
  const signer = await args.signerFor(binding);
  if (signer.kid !== binding.kid) throw new Error(`The signer ${signer.kid} is not the bound key ${binding.kid}`);
  return signer;
}

function checkChoices(query: DcqlQuery, choices: readonly PresentationChoice[], now: number): void {
  if (choices.length === 0) throw new SelectionError('No credential was chosen');
  const counts = new Map<string, number>();
  for (const choice of choices) {
    const credentialQuery = query.credentials.find((credential) => credential.id === choice.queryId);
    if (!credentialQuery) throw new SelectionError(`The request has no credential query '${choice.queryId}'`);
    if (choice.holderBinding !== undefined && choice.holderBinding !== credentialQuery.require_cryptographic_holder_binding) {
      throw new SelectionError(`Holder binding for '${choice.queryId}' does not match the request`);
    }
    const match = matchDcql({ credentials: [credentialQuery] } as DcqlQuery, [choice.record], { now });
    if (match.queries[0]?.candidates.length !== 1) {
      throw new SelectionError(`Credential ${choice.record.id} does not answer '${choice.queryId}' (or is revoked, suspended or expired)`);
    }
    const count = (counts.get(choice.queryId) ?? 0) + 1;
    if (count > 1 && !credentialQuery.multiple) throw new SelectionError(`'${choice.queryId}' accepts one credential only`);
    if (choices.filter((other) => other.queryId === choice.queryId && other.record.id === choice.record.id).length > 1) {
      throw new SelectionError(`Credential ${choice.record.id} was chosen twice for '${choice.queryId}'`);
    }
    counts.set(choice.queryId, count);
  }
  if (!isSatisfiedBy(query, [...counts.keys()])) throw new SelectionError('The chosen credentials do not satisfy the request');
}

function requestedPaths(query: DcqlQuery, choice: PresentationChoice): ClaimPathPointer[] {
  const credentialQuery = query.credentials.find((credential) => credential.id === choice.queryId)!;
  return matchDcql({ credentials: [credentialQuery] } as DcqlQuery, [choice.record]).queries[0]!.requestedPathsOf(choice.record.id);
}
