/** Fuzz: DC API data, credentials and status lists against their parsers (see page-boundary.test.ts for FUZZ_RUNS / FUZZ_SEED). */
import { describe, it } from 'vitest';
import { assertBoundary } from './harness.ts';
import { credentialBoundary, dcApiBoundary, signedCredentialBoundary } from './parser-properties.ts';
import { compressionBombsRefused, signedStatusBoundary, statusListBoundary } from './status-properties.ts';

describe('parsers of what others send and sign', () => {
  it('DC API data: a parsed request or a ProtocolError, nothing else', async () => {
    await assertBoundary(await dcApiBoundary(), 500);
  }, 300_000);

  it('credentials: accepted or refused with a CredentialError, nothing else', async () => {
    await assertBoundary(await credentialBoundary(), 500);
  }, 300_000);

  it('credentials: an edit of the issuer-signed part is refused; disclosures can only be withheld', async () => {
    await assertBoundary(await signedCredentialBoundary(), 300);
  }, 300_000);

  it('status lists: a list or a StatusListError, nothing else, for any body, list and index', async () => {
    await assertBoundary(await statusListBoundary(), 200);
  }, 300_000);

  it('status lists: an edit of the signed part is refused', async () => {
    await assertBoundary(await signedStatusBoundary(), 300);
  }, 300_000);

  it('status lists: compression bombs are refused at the expansion cap', async () => {
    await compressionBombsRefused();
  }, 60_000);
});
