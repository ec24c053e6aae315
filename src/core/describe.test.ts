import { describe, expect, it } from 'vitest';
import { describeValue } from './describe.ts';

describe('describeValue', () => {
  it('never throws, whatever the value', () => {
    expect(describeValue({ toString: 0 })).toBe('{"toString":0}');
    expect(describeValue(Object.create(null))).toBe('{}');
    expect(describeValue(10n)).toBe('bigint');
    expect(describeValue(undefined)).toBe('undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('object');
    expect(describeValue('x'.repeat(500))).toHaveLength(121);
  });
});
