import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonFileError, readJsonFile } from '../../src/util/json-file.js';

// The window reader (src/util/json-file.ts) against JSON.parse of the whole
// text: forced on with small = 0 and windows far smaller than the elements,
// so every element straddles window ends and every refill path runs.
const dir = mkdtempSync(join(tmpdir(), 'atrest-json-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string | Buffer): string {
  const path = join(dir, `doc-${(n += 1)}.json`);
  writeFileSync(path, text);
  return path;
}

const resource = (i: number) => ({
  arn: `arn:aws:s3:::bucket-${i}`,
  tags: { 'quote"d': 'back\\slash\\', nested: { deep: [1, 2, { deeper: '}\n]' }] }, empty: {}, list: [] },
  note: i % 3 === 0 ? 'ünïcödé — 鍵 🔑' : `plain ${i}`,
  lines: ['a\\"b', '\\\\', '"}', '    }'],
  n: i * 1.5e-3,
  flag: i % 2 === 0,
  none: null,
});
const inventory = {
  kind: 'atrest-inventory',
  scan: { regions: ['us-east-1'], errors: [] },
  keys: [],
  resources: Array.from({ length: 40 }, (_, i) => resource(i)),
  numbers: [1, -2.5e10, 0, 3],
  strings: ['a', ']', '}'],
  nested: [[1, [2]], [], [{}]],
  last: 42,
};

const layouts: Array<[string, string]> = [
  ['two-space indented (as atrest writes)', `${JSON.stringify(inventory, null, 2)}\n`],
  ['four-space indented', JSON.stringify(inventory, null, 4)],
  ['tab indented', JSON.stringify(inventory, null, '\t')],
  ['minified', JSON.stringify(inventory)],
  ['CRLF line ends', JSON.stringify(inventory, null, 2).replace(/\n/g, '\r\n')],
  ['a byte order mark', `\ufeff${JSON.stringify(inventory, null, 2)}`],
  // An element closed at its own indentation inside another element: the batch guess is wrong and must be refused.
  ['odd indentation', JSON.stringify(inventory, null, 2).replace(/\n {6}"tags"/g, '\n    "tags"').replace(/\n {6}\}/g, '\n    }')],
];

describe('readJsonFile: the window reader equals JSON.parse', () => {
  for (const [name, text] of layouts) {
    it(name, () => {
      const path = file(text);
      const expected = JSON.parse(text.replace(/^\ufeff/, ''));
      for (const window of [16, 100, 1000, 1 << 20]) expect(readJsonFile(path, 0, window), `window ${window}`).toEqual(expected);
      // And the whole-text path for small files.
      expect(readJsonFile(path)).toEqual(expected);
    });
  }

  it('keeps JSON.parse semantics: the last duplicate member wins, __proto__ is an own member, top-level non-objects parse', () => {
    const text = '{"a": [1], "__proto__": {"x": 1}, "a": [2, 3]}';
    const parsed = readJsonFile(file(text), 0, 16) as Record<string, unknown>;
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['a', '__proto__']);
    for (const doc of ['[1, 2, {"a": "]"}]', '"text"', '12345', 'null', '{}', '{"a": []}']) expect(readJsonFile(file(doc), 0, 16)).toEqual(JSON.parse(doc));
  });
});

describe('readJsonFile: errors name the line and column', () => {
  const broken = (text: string) => () => readJsonFile(file(text), 0, 32);

  it('a bad value inside an array element: JSON.parse\'s reason (without its quote of the text) and where the element starts', () => {
    const text = `{\n  "resources": [\n    {\n      "arn": "a"\n    },\n    {\n      "arn": nope\n    }\n  ]\n}\n`;
    expect(broken(text)).toThrow(JsonFileError);
    expect(broken(text)).toThrow(/^Unexpected token 'o' in the value at line 6 column 5$/);
    // Where V8 gives a position, the exact place.
    expect(broken(`{\n  "resources": [\n    {\n      "arn": "a",\n    }\n  ]\n}\n`)).toThrow(/^Expected double-quoted property name at line 5 column 5$/);
  });

  it('a missing comma between members, a truncated file, content after the document', () => {
    expect(broken('{\n  "a": 1\n  "b": 2\n}')).toThrow(/expected , or \} at line 3 column 3/);
    expect(broken('{\n  "resources": [\n    {\n      "arn": "a"\n')).toThrow(/unexpected end of file|expected , or \]/);
    expect(broken('{"a": "unterminated')).toThrow(/unexpected end of file in the value/);
    expect(broken('{"a": 1} {"b": 2}')).toThrow(/unexpected content after the document at line 1 column 10/);
    expect(broken('  ')).toThrow(/unexpected end of file/);
  });

  it('a file that is not UTF-8 JSON at all', () => {
    expect(() => readJsonFile(file(Buffer.from([0xff, 0xfe, 0x00, 0x7b])), 0, 16)).toThrow(JsonFileError);
  });
});
