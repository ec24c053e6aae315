import { describe, expect, it } from 'vitest';
import { parseBuildArgs } from './build-args.ts';

describe('parseBuildArgs', () => {
  it('defaults to Chrome into the default dir; a bare argument is the out dir', () => {
    expect(parseBuildArgs([])).toEqual({ browser: 'chrome' });
    expect(parseBuildArgs(['/tmp/dist-x'])).toEqual({ browser: 'chrome', outDir: '/tmp/dist-x' });
  });

  it('takes --target in either spelling and position', () => {
    expect(parseBuildArgs(['--target', 'firefox'])).toEqual({ browser: 'firefox' });
    expect(parseBuildArgs(['--target=firefox', '/tmp/ff'])).toEqual({ browser: 'firefox', outDir: '/tmp/ff' });
    expect(parseBuildArgs(['/tmp/ff', '--target', 'chrome'])).toEqual({ browser: 'chrome', outDir: '/tmp/ff' });
  });

  it('refuses what it does not know instead of building for Chrome', () => {
    expect(() => parseBuildArgs(['--target'])).toThrow(/needs a value/);
    expect(() => parseBuildArgs(['--target', 'safari'])).toThrow(/unknown --target safari/);
    expect(() => parseBuildArgs(['--target=Firefox'])).toThrow(/unknown --target/);
    expect(() => parseBuildArgs(['--out', 'x'])).toThrow(/unknown option --out/);
    expect(() => parseBuildArgs(['a', 'b'])).toThrow(/one out dir only/);
  });
});
