/** The browsers `scripts/build.ts` builds for. */
export type BrowserTarget = 'chrome' | 'firefox';

export interface BuildArgs {
  browser: BrowserTarget;
  /** As given (resolved against the repository by the caller); undefined for the default. */
  outDir?: string;
}

/**
 * `[outDir] [--target chrome|firefox]` in any order (`--target=firefox` too). An unknown
 * target or option, or a second out dir, is an error rather than a silent Chrome build.
 */
export function parseBuildArgs(argv: readonly string[]): BuildArgs {
  let browser: BrowserTarget = 'chrome';
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    let value: string | undefined;
    if (arg === '--target') {
      value = argv[++i];
      if (value === undefined) throw new Error('--target needs a value: chrome or firefox');
    } else if (arg.startsWith('--target=')) {
      value = arg.slice('--target='.length);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg} (usage: build.ts [outDir] [--target chrome|firefox])`);
    } else {
      if (outDir !== undefined) throw new Error(`one out dir only, got ${outDir} and ${arg}`);
      outDir = arg;
      continue;
    }
    if (value !== 'chrome' && value !== 'firefox') throw new Error(`unknown --target ${value}: chrome or firefox`);
    browser = value;
  }
  return outDir === undefined ? { browser } : { browser, outDir };
}
