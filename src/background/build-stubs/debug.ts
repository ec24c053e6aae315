/**
 * Stand-in for `debug` in the worker build. Veramo names a logger per module with it
 * (`Debug('veramo:…')`) and calls it on every agent operation. In a service worker
 * those loggers are always off: `debug` takes its switch from localStorage, which a
 * worker has not, or from process.env.DEBUG, which a browser has not. So the stand-in
 * gives the same silent loggers without the formatting and colour code behind them.
 */
export interface Debugger {
  (formatter: unknown, ...args: unknown[]): void;
  readonly namespace: string;
  readonly enabled: false;
  extend(namespace: string, delimiter?: string): Debugger;
}

export default function createDebug(namespace: string): Debugger {
  const log = () => {};
  return Object.assign(log, {
    namespace,
    enabled: false as const,
    extend: (sub: string, delimiter = ':') => createDebug(`${namespace}${delimiter}${sub}`),
  });
}
