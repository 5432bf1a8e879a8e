import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a JSON document from a file without holding more than one copy of
 * it as text. Up to SMALL bytes, JSON.parse of the whole text (fastest).
 * Beyond that — an inventory of a million resources is ~1.5 GB, past V8's
 * longest string — the file is read into one buffer and, for a top-level
 * object, each member value is parsed by JSON.parse on its own bytes, and
 * each element of a top-level member array on its own bytes: the structure
 * around them is found by a byte scanner that only tracks strings and
 * nesting, and JSON.parse still judges every value. The result equals
 * JSON.parse of the whole text (a duplicate member name: the last wins).
 */
export const SMALL = 256 * 1024 * 1024;

export class JsonFileError extends Error {}

export function readJsonFile(path: string, small = SMALL): unknown {
  const fd = openSync(path, 'r');
  let buffer: Buffer;
  try {
    const size = fstatSync(fd).size;
    buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, buffer, offset, size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    buffer = buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
  if (buffer.length <= small) return JSON.parse(buffer.toString('utf8'));
  return parseLarge(buffer);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function where(buffer: Buffer, at: number): string {
  let line = 1;
  let last = -1;
  for (let i = buffer.indexOf(0x0a); i !== -1 && i < at; i = buffer.indexOf(0x0a, i + 1)) {
    line += 1;
    last = i;
  }
  return `line ${line} column ${at - last}`;
}

function skipSpace(buffer: Buffer, i: number): number {
  while (i < buffer.length && isSpace(buffer[i]!)) i += 1;
  return i;
}

/** End (exclusive) of the string starting at the quote at `i`. */
function stringEnd(buffer: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = buffer.indexOf(QUOTE, j);
    if (q === -1) throw new JsonFileError(`unterminated string at ${where(buffer, i)}`);
    let backslashes = 0;
    for (let k = q - 1; k > i && buffer[k] === BACKSLASH; k -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** End (exclusive) of the value starting at `i` (strings and nesting only; JSON.parse judges the rest). */
function valueEnd(buffer: Buffer, i: number): number {
  const first = buffer[i];
  if (first === QUOTE) return stringEnd(buffer, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let j = i;
    while (j < buffer.length) {
      const b = buffer[j]!;
      if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) break;
      j += 1;
    }
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < buffer.length) {
    const b = buffer[j]!;
    if (b === QUOTE) {
      j = stringEnd(buffer, j);
      continue;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
    j += 1;
  }
  throw new JsonFileError(`unexpected end of file in the value at ${where(buffer, i)}`);
}

function parseAt(buffer: Buffer, start: number, end: number): unknown {
  try {
    return JSON.parse(buffer.toString('utf8', start, end));
  } catch (error) {
    throw new JsonFileError(`${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')} in the value at ${where(buffer, start)}`);
  }
}

function parseArray(buffer: Buffer, start: number): { value: unknown[]; end: number } {
  const out: unknown[] = [];
  let i = skipSpace(buffer, start + 1);
  if (buffer[i] === CLOSE_BRACKET) return { value: out, end: i + 1 };
  for (;;) {
    const end = valueEnd(buffer, i);
    out.push(parseAt(buffer, i, end));
    i = skipSpace(buffer, end);
    if (buffer[i] === COMMA) {
      i = skipSpace(buffer, i + 1);
      continue;
    }
    if (buffer[i] === CLOSE_BRACKET) return { value: out, end: i + 1 };
    throw new JsonFileError(`expected , or ] at ${where(buffer, i)}`);
  }
}

function parseLarge(buffer: Buffer): unknown {
  let i = skipSpace(buffer, buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0);
  if (buffer[i] !== OPEN_BRACE) return parseAt(buffer, i, buffer.length);
  const out: Record<string, unknown> = {};
  i = skipSpace(buffer, i + 1);
  if (buffer[i] !== CLOSE_BRACE) {
    for (;;) {
      if (buffer[i] !== QUOTE) throw new JsonFileError(`expected a member name at ${where(buffer, i)}`);
      const nameEnd = stringEnd(buffer, i);
      const name = parseAt(buffer, i, nameEnd) as string;
      i = skipSpace(buffer, nameEnd);
      if (buffer[i] !== COLON) throw new JsonFileError(`expected : at ${where(buffer, i)}`);
      i = skipSpace(buffer, i + 1);
      let end: number;
      let value: unknown;
      if (buffer[i] === OPEN_BRACKET) {
        const parsed = parseArray(buffer, i);
        value = parsed.value;
        end = parsed.end;
      } else {
        end = valueEnd(buffer, i);
        value = parseAt(buffer, i, end);
      }
      // As JSON.parse: an own member even when named __proto__.
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      i = skipSpace(buffer, end);
      if (buffer[i] === COMMA) {
        i = skipSpace(buffer, i + 1);
        continue;
      }
      if (buffer[i] === CLOSE_BRACE) break;
      throw new JsonFileError(`expected , or } at ${where(buffer, i)}`);
    }
  }
  i = skipSpace(buffer, i + 1);
  if (i < buffer.length) throw new JsonFileError(`unexpected content after the document at ${where(buffer, i)}`);
  return out;
}
