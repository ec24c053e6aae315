import { describe, expect, it } from 'vitest';
import { instanceofAcrossCopies } from './cross-bundle.ts';
import { DomainError, isDomainError } from './errors.ts';
import { BodyTooLargeError } from './net/capped-body.ts';
import { FetchTimeoutError } from './net/public-fetch.ts';
import { UrlPolicyError } from './net/url-policy.ts';

/** What a second bundle's copy of a module defining the class amounts to. */
function copyOfModule() {
  class Refusal extends Error {
    constructor(readonly code: string) {
      super(code);
    }
  }
  instanceofAcrossCopies(Refusal, 'test:Refusal');
  return Refusal;
}

describe('instanceofAcrossCopies', () => {
  it('an instance made by one copy of the class is an instance of every copy', () => {
    const [A, B] = [copyOfModule(), copyOfModule()];
    expect(A).not.toBe(B);
    const error = new A('pending');
    expect(error instanceof A).toBe(true);
    expect(error instanceof B).toBe(true);
    expect(new B('locked') instanceof A).toBe(true);
  });

  it('anything else is not one: other errors, plain objects, primitives', () => {
    const A = copyOfModule();
    expect(new Error('pending') instanceof A).toBe(false);
    expect({ code: 'pending', name: 'Refusal', message: 'x' } instanceof A).toBe(false);
    expect((null as unknown) instanceof A).toBe(false);
    expect(('Refusal' as unknown) instanceof A).toBe(false);
    // Without the call, a copy's instance is not an instance of the other copy.
    class Plain extends Error {}
    class OtherPlain extends Error {}
    expect(new Plain() instanceof OtherPlain).toBe(false);
  });

  it('a subclass keeps the ordinary check', () => {
    const A = copyOfModule();
    class Narrower extends A {}
    expect(new Narrower('x') instanceof A).toBe(true);
    expect(new Narrower('x') instanceof Narrower).toBe(true);
    expect(new A('x') instanceof Narrower).toBe(false);
  });

  it('is set up for the errors that cross between the worker scripts', () => {
    const stranger = (name: string) => Object.create({ [Symbol.for(`tessera.class:${name}`)]: true }) as object;
    expect(isDomainError(stranger('DomainError'))).toBe(true);
    expect(stranger('BodyTooLargeError') instanceof BodyTooLargeError).toBe(true);
    expect(stranger('UrlPolicyError') instanceof UrlPolicyError).toBe(true);
    expect(stranger('FetchTimeoutError') instanceof FetchTimeoutError).toBe(true);
    expect(new DomainError('locked', 'The wallet is locked.') instanceof BodyTooLargeError).toBe(false);
  });
});
