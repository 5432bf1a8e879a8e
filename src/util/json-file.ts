import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

/**
 * Reads a JSON document from a file without ever holding the whole text.
 *
 * Up to SMALL bytes, JSON.parse of the whole text (fastest, and three
 * copies of a small file cost nothing). Beyond that — an inventory of
 * 100,000 resources is ~150 MB, of a million ~1.5 GB, past V8's longest
 * string — the file is read through a window of WINDOW bytes that slides
 * over it: for a top-level object, each member value is parsed by
 * JSON.parse on its own bytes, and the elements of a member that is an
 * array are parsed a window-full at a time. Peak memory is the parsed data
 * plus one window, not the data plus the file's bytes plus its text.
 *
 * Finding where the elements end: JSON never has a raw newline inside a
 * string, so in indented JSON (atrest's, JSON.stringify's) an element that
 * starts on a line indented by N spaces ends at the next newline followed by
 * N spaces and its closing bracket. The bytes from the first element of the
 * window to the last such line end are parsed as one array: if JSON.parse
 * accepts them, they are exactly whole elements (a cut inside an element
 * leaves it unbalanced, and JSON.parse refuses it). Anything else — other
 * formatting, an invalid document — falls back to a byte scanner that only
 * tracks strings and nesting, one element at a time, and JSON.parse still
 * judges every value. The result equals JSON.parse of the whole text (a
 * duplicate member name: the last wins), and errors name the line and
 * column.
 */
export const SMALL = 32 * 1024 * 1024;
export const WINDOW = 8 * 1024 * 1024;

export class JsonFileError extends Error {}

/**
 * A document at least as large as the whole JavaScript heap cannot be held
 * once parsed (its objects take more room than its text), and V8 would end
 * the process with a fatal out-of-memory trace after minutes of work. Said
 * at once instead, as a read error (code EFBIG) with the option that lets it
 * fit: a 4.6 GB report of a million resources needs a larger heap than
 * Node's default of about 4 GB on this machine.
 */
function refuseBeyondHeap(size: number): void {
  const limit = getHeapStatistics().heap_size_limit;
  if (size < limit) return;
  const gb = (n: number): string => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`);
  const suggestMb = Math.ceil((size * 2) / 1024 ** 2 / 1024) * 1024;
  const error = new Error(
    `the file is ${gb(size)}, more than this process's JavaScript heap (${gb(limit)}) can hold once parsed; run atrest with NODE_OPTIONS=--max-old-space-size=${suggestMb} (MB) on a machine with that much memory`,
  ) as NodeJS.ErrnoException;
  error.code = 'EFBIG';
  throw error;
}

export function readJsonFile(path: string, small = SMALL, window = WINDOW): unknown {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    refuseBeyondHeap(size);
    // A byte order mark is not JSON, but editors write one: ignored, as the window reader does.
    if (size <= small) return JSON.parse(readFileSync(fd, 'utf8').replace(/^\ufeff/, ''));
    return new WindowParser(path, fd, window).document();
  } finally {
    closeSync(fd);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const SPACE = 0x20;

function isSpace(b: number): boolean {
  return b === SPACE || b === NEWLINE || b === 0x0d || b === 0x09;
}

/** Not enough bytes in the window to finish: read more and scan again. */
const MORE = -1;

class WindowParser {
  private buf: Buffer;
  /** Valid bytes in buf. */
  private len = 0;
  /** File offset of buf[0]. */
  private base = 0;
  /** The next byte to look at, an index into buf. */
  private pos = 0;
  private eof = false;

  constructor(
    private readonly path: string,
    private readonly fd: number,
    window: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, window));
  }

  document(): unknown {
    this.skipSpace();
    if (this.byte(0) === 0xef && this.byte(1) === 0xbb && this.byte(2) === 0xbf) this.pos += 3;
    this.skipSpace();
    let value: unknown;
    if (this.byte(0) !== OPEN_BRACE) value = this.value();
    else {
      this.pos += 1;
      const out: Record<string, unknown> = {};
      this.skipSpace();
      if (this.byte(0) === CLOSE_BRACE) this.pos += 1;
      else {
        for (;;) {
          if (this.byte(0) !== QUOTE) this.fail('expected a member name');
          const name = this.value() as string;
          this.skipSpace();
          if (this.byte(0) !== COLON) this.fail('expected :');
          this.pos += 1;
          this.skipSpace();
          const member = this.byte(0) === OPEN_BRACKET ? this.array() : this.value();
          // As JSON.parse: an own member even when named __proto__.
          Object.defineProperty(out, name, { value: member, enumerable: true, writable: true, configurable: true });
          this.skipSpace();
          const next = this.byte(0);
          this.pos += 1;
          if (next === COMMA) {
            this.skipSpace();
            continue;
          }
          if (next === CLOSE_BRACE) break;
          this.pos -= 1;
          this.fail('expected , or }');
        }
      }
      value = out;
    }
    this.skipSpace();
    if (this.byte(0) !== -1) this.fail('unexpected content after the document');
    return value;
  }

  /** The byte at pos + ahead, reading more when needed; -1 past the end of the file. */
  private byte(ahead: number): number {
    while (this.pos + ahead >= this.len) if (!this.fill()) return -1;
    return this.buf[this.pos + ahead]!;
  }

  /**
   * Keeps the bytes from pos on, moved to the start of the window (doubled
   * when they fill it), and reads more after them. False at the end of the file.
   */
  private fill(): boolean {
    if (this.eof) return false;
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.len);
      this.base += this.pos;
      this.len -= this.pos;
      this.pos = 0;
    }
    if (this.len === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.base + this.len);
    if (n === 0) {
      this.eof = true;
      return false;
    }
    this.len += n;
    return true;
  }

  /** Skips whitespace; returns how many bytes followed the last newline it skipped (-1: none skipped). */
  private skipSpace(): number {
    let indent = -1;
    for (;;) {
      while (this.pos < this.len) {
        const b = this.buf[this.pos]!;
        if (b === NEWLINE) indent = 0;
        else if (b === SPACE) {
          if (indent >= 0) indent += 1;
        } else if (isSpace(b)) indent = -1;
        else return indent;
        this.pos += 1;
      }
      if (!this.fill()) return indent;
    }
  }

  /** One value at pos, parsed by JSON.parse on its exact bytes. */
  private value(): unknown {
    let end: number;
    for (;;) {
      end = valueEnd(this.buf, this.pos, this.len, this.eof);
      if (end !== MORE || !this.fill()) break;
    }
    if (end === MORE) end = valueEnd(this.buf, this.pos, this.len, true);
    if (end === MORE) this.fail('unexpected end of file in the value');
    const text = this.buf.toString('utf8', this.pos, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // V8 says where in the value (a character index) for some errors, and quotes the value for others: keep the place, not the quote.
      const message = (error as Error).message;
      const position = / in JSON at position (\d+)/.exec(message);
      const at = position ? this.pos + Buffer.byteLength(text.slice(0, Number(position[1]))) : this.pos;
      this.fail(`${message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')}${position ? '' : ' in the value'}`, at);
    }
    this.pos = end;
    return value;
  }

  /** The array at pos, its elements parsed a window-full at a time where the indentation shows where they end. */
  private array(): unknown[] {
    const out: unknown[] = [];
    this.pos += 1;
    let indent = this.skipSpace();
    if (this.byte(0) === CLOSE_BRACKET) {
      this.pos += 1;
      return out;
    }
    // The line end that closes an element: a newline, the element's indentation, its closing bracket.
    const open = this.byte(0);
    const close = indent > 0 && (open === OPEN_BRACE || open === OPEN_BRACKET) ? Buffer.from(`\n${' '.repeat(indent)}${open === OPEN_BRACE ? '}' : ']'}`) : undefined;
    let batches = close !== undefined;
    for (;;) {
      const batch = batches ? this.batch(close!) : undefined;
      if (batch) {
        for (const element of batch) out.push(element);
      } else {
        // One element by the exact scanner; after a batch that did not parse, for the rest of the array.
        if (batches && batch === null) batches = false;
        out.push(this.value());
      }
      this.skipSpace();
      const next = this.byte(0);
      this.pos += 1;
      if (next === COMMA) {
        indent = this.skipSpace();
        continue;
      }
      if (next === CLOSE_BRACKET) return out;
      this.pos -= 1;
      this.fail('expected , or ]');
    }
  }

  /**
   * The elements from pos to the last line end `close` in the window, when
   * JSON.parse accepts them as a list; undefined when the window holds no
   * such line end (the caller parses one element), null when JSON.parse
   * refused them (the caller stops batching).
   */
  private batch(close: Buffer): unknown[] | undefined | null {
    let at = this.lastClose(close);
    if (at === MORE && !this.eof) {
      // Not one whole element in the window: move it to the front (or grow it) and look again.
      this.fill();
      at = this.lastClose(close);
    }
    if (at === MORE) return undefined;
    const end = at + close.length;
    let elements: unknown;
    try {
      elements = JSON.parse(`[${this.buf.toString('utf8', this.pos, end)}]`);
    } catch {
      return null;
    }
    this.pos = end;
    return elements as unknown[];
  }

  private lastClose(close: Buffer): number {
    if (this.len - this.pos < close.length) return MORE;
    const at = this.buf.lastIndexOf(close, this.len - close.length);
    return at > this.pos ? at : MORE;
  }

  /** `at`: an index into the window (default: pos). */
  private fail(what: string, at = this.pos): never {
    throw new JsonFileError(`${what} at ${lineAndColumn(this.path, this.base + at)}`);
  }
}

/** End (exclusive) of the string starting at the quote at `i`, or MORE. */
function stringEnd(buf: Buffer, i: number, len: number): number {
  let j = i + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, j);
    if (q === -1 || q >= len) return MORE;
    let backslashes = 0;
    for (let k = q - 1; k > i && buf[k] === BACKSLASH; k -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** End (exclusive) of the value starting at `i` (strings and nesting only; JSON.parse judges the rest), or MORE. */
function valueEnd(buf: Buffer, i: number, len: number, eof: boolean): number {
  if (i >= len) return MORE;
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i, len);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let j = i;
    while (j < len) {
      const b = buf[j]!;
      if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isSpace(b)) return j;
      j += 1;
    }
    // A number or literal that runs to the end of the file ends there.
    return eof ? j : MORE;
  }
  let depth = 0;
  let j = i;
  while (j < len) {
    const b = buf[j]!;
    if (b === QUOTE) {
      j = stringEnd(buf, j, len);
      if (j === MORE) return MORE;
      continue;
    }
    if (b === OPEN_BRACE || b === OPEN_BRACKET) depth += 1;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
    j += 1;
  }
  return MORE;
}

/** "line L column C" of a byte offset of the file (only for errors: it reads the file again up to there). */
function lineAndColumn(path: string, offset: number): string {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let lastNewline = -1;
    for (let at = 0; at < offset; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, offset - at), at);
      if (n === 0) break;
      for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < n; i = chunk.indexOf(NEWLINE, i + 1)) {
        line += 1;
        lastNewline = at + i;
      }
      at += n;
    }
    return `line ${line} column ${offset - lastNewline}`;
  } finally {
    closeSync(fd);
  }
}
