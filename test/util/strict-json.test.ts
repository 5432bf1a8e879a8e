import { describe, expect, it } from 'vitest';
import { strictJsonProblems } from '../../src/util/strict-json.js';

/** The strict JSON check behind .json policy files: it must agree with JSON.parse on what is valid, and say where and what. */
describe('strictJsonProblems', () => {
  const valid = [
    '{}',
    '[]',
    ' {"a": [1, -2, 3.5, 0, -0.0, 1e3, 2E-7, 4.5e+2], "b": {"c": null, "d": true, "e": false}} ',
    '"just text"',
    '{"esc": "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00"}',
    '\uFEFF{"bom": 1}',
    '{"unicode": "héllo ✓"}',
  ];
  const invalid = ['{"a":1,}', '[1,]', '{a:1}', "{'a':1}", '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":1.}', '{"a":NaN}', '{"a":"\t"}', '{"a":"\\x"}', '{"a" 1}', '{"a":1}}', '', '{"a":1 /* c */}', '[1 2]', '{"a":tru}'];

  it('accepts what JSON.parse accepts', () => {
    for (const text of valid) {
      expect(() => JSON.parse(text.replace(/^\uFEFF/, '')), text).not.toThrow();
      expect(strictJsonProblems(text), text).toEqual([]);
    }
  });

  it('rejects what JSON.parse rejects, with one positioned problem', () => {
    for (const text of invalid) {
      expect(() => JSON.parse(text), text).toThrow();
      const problems = strictJsonProblems(text);
      expect(problems, text).toHaveLength(1);
      expect(problems[0]!.offset, text).toBeGreaterThanOrEqual(0);
      expect(problems[0]!.offset, text).toBeLessThanOrEqual(text.length);
      expect(problems[0]!.message, text).toMatch(/\(expected .+\)$/);
    }
  });

  it('points at the offending character and says what was expected', () => {
    expect(strictJsonProblems('[1 2]')).toEqual([{ offset: 3, message: 'unexpected "2" (expected "," or "]" after the list item)' }]);
    expect(strictJsonProblems('{"a":"\t"}')).toEqual([{ offset: 6, message: 'unexpected control character U+0009 (expected an escape such as \\t instead of the control character)' }]);
    expect(strictJsonProblems('{"a":.5}')).toEqual([{ offset: 5, message: 'unexpected "." (expected a value: an object {…}, a list […], a "double-quoted" text, a number, true, false or null)' }]);
  });

  it('reports every duplicate field name, which JSON.parse would silently resolve to the last', () => {
    expect(strictJsonProblems('{"a":1,"b":{"a":2,"a":3},"a":4}').map((p) => p.offset)).toEqual([18, 25]);
  });

  it('stops at an absurd nesting depth instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(strictJsonProblems(deep)[0]!.message).toContain('at most 512 nested objects and lists');
  });
});
