import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import createDebug from './debug.ts';

type RealLogger = ((formatter: unknown, ...args: unknown[]) => void) & { enabled: boolean | undefined; namespace: string; extend(ns: string): { namespace: string } };

describe('debug build stub', () => {
  it('is as silent as the real browser build of debug where there is no localStorage and no DEBUG, as in a worker', () => {
    const saved = process.env.DEBUG;
    delete process.env.DEBUG;
    try {
      expect(typeof (globalThis as { localStorage?: unknown }).localStorage).toBe('undefined');
      const real = (createRequire(import.meta.url)('debug/src/browser.js') as (namespace: string) => RealLogger)('veramo:agent');
      const stub = createDebug('veramo:agent');
      const writes = [vi.spyOn(console, 'debug'), vi.spyOn(console, 'log')];
      real('%s logged', 'nothing');
      stub('%s logged', 'nothing');
      for (const write of writes) expect(write).not.toHaveBeenCalled();
      expect(Boolean(real.enabled)).toBe(false);
      expect(stub.enabled).toBe(false);
      expect(stub.namespace).toBe(real.namespace);
      expect(stub.extend('keys').namespace).toBe(real.extend('keys').namespace);
    } finally {
      vi.restoreAllMocks();
      if (saved !== undefined) process.env.DEBUG = saved;
    }
  });
});
