import { expect } from 'vitest';
import { ProtocolError } from '../../src/core/presentation/errors.ts';

/** The invalid_request description `promise` is refused with (fails if it is accepted or throws something else). */
export async function protocolRefusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).error).toBe('invalid_request');
  return (error as ProtocolError).description;
}
