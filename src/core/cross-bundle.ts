/**
 * The worker runs as more than one script (background.js, and credentials.js once
 * credential code is needed: vite.config.ts), each bundling its own copy of the modules
 * both use, so an error made by one copy can be checked with `instanceof` by the other
 * (the HTTP fetcher's BodyTooLargeError by the status checker, a credential flow's
 * DomainError by the routers). After this call, `value instanceof cls` asks for a brand
 * that every copy of the class puts on its prototype (one `Symbol.for` key) instead of
 * for this copy's prototype. Subclasses keep the ordinary check.
 */
export function instanceofAcrossCopies(cls: abstract new (...args: never[]) => object, name: string): void {
  const brand = Symbol.for(`tessera.class:${name}`);
  Object.defineProperty(cls.prototype, brand, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
    },
  });
}
