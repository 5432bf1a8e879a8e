/**
 * JSON.stringify(value, null, 2) + "\n", in pieces: the same bytes, but a
 * report of a million resources never becomes one string (V8 refuses
 * strings past ~512 MiB: "Invalid string length"). Objects and arrays near
 * the top are walked member by member; below `depth` values are written by
 * JSON.stringify itself, which is where it is fast.
 *
 * The elements of an array are written a batch at a time (about BATCH
 * characters), each batch by one JSON.stringify call that puts them at the
 * right indentation: the batch is wrapped in as many one-element arrays as
 * the array is deep in the document, stringified, and the wrappers' own
 * brackets cut off. No regular expression re-indents the text afterwards
 * (that pass cost more than the stringify).
 *
 * Same semantics as JSON.stringify for plain data: toJSON is honoured,
 * `undefined` and functions are left out of objects and become null in
 * arrays, non-finite numbers are null.
 */
const INDENT = '  ';

/**
 * An array whose elements are made while they are written: jsonChunks
 * writes it as JSON.stringify writes an array of those elements, taking
 * them from `elements` one batch at a time, so a list of a million SARIF
 * results or OCSF events never exists at once. Written once (the elements
 * are consumed); `length` must be their number.
 */
export class JsonSequence<T = unknown> {
  constructor(
    readonly length: number,
    private readonly elements: Iterable<T>,
  ) {}

  [Symbol.iterator](): Iterator<T> {
    return this.elements[Symbol.iterator]();
  }

  /** Anything that stringifies it another way gets the plain array. */
  toJSON(): T[] {
    return [...this.elements];
  }
}
// Below V8's large-object size, so each batch's text dies young instead of growing the old space.
const BATCH = 1 << 16;

export function* jsonChunks(value: unknown, depth = 2): Generator<string> {
  const text = yield* member(value, 0, depth);
  // A top-level value that JSON.stringify would drop entirely (undefined) is written as nothing, as renderJson did.
  if (text !== undefined) yield text;
  yield '\n';
}

/**
 * The members of a top-level object, each rendered as jsonChunks renders
 * them, without the object's closing `\n}` (the caller adds it, or more
 * members first). `{}` for an object without members is the caller's case:
 * this yields nothing then.
 */
export function* objectMembers(value: object, depth = 2): Generator<string> {
  let wrote = false;
  for (const key of Object.keys(value)) {
    const item = toJsonValue((value as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    yield `${wrote ? `,\n${INDENT}` : `{\n${INDENT}`}${JSON.stringify(key)}: `;
    yield (yield* member(item, 1, depth - 1)) ?? 'null';
    wrote = true;
  }
}

/**
 * Yields the pieces of `value` rendered at indentation `level` (two spaces
 * each); returns the last piece instead of yielding it (so callers can
 * append a comma), or undefined when the value is not serialisable (left
 * out of objects).
 */
function* member(value: unknown, level: number, depth: number): Generator<string, string | undefined> {
  if (value instanceof JsonSequence && depth > 0) return yield* sequence(value, level, depth);
  const v = toJsonValue(value);
  if (v === null || typeof v !== 'object' || depth <= 0) return stringifyAt(v, level);
  const pad = INDENT.repeat(level);
  const inner = pad + INDENT;
  if (Array.isArray(v)) return yield* sequence(v, level, depth);
  let wrote = false;
  for (const key of Object.keys(v)) {
    const item = toJsonValue((v as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    yield `${wrote ? `,\n${inner}` : `{\n${inner}`}${JSON.stringify(key)}: `;
    yield (yield* member(item, level + 1, depth - 1)) ?? 'null';
    wrote = true;
  }
  return wrote ? `\n${pad}}` : '{}';
}

/** An array (or a JsonSequence) at indentation `level`, as member() returns it. */
function* sequence(list: readonly unknown[] | JsonSequence, level: number, depth: number): Generator<string, string | undefined> {
  if (list.length === 0) {
    // A sequence still runs its source (it may count), but has nothing to write.
    if (list instanceof JsonSequence) for (const _ of list);
    return '[]';
  }
  const pad = INDENT.repeat(level);
  const inner = pad + INDENT;
  yield `[\n${inner}`;
  const items = list[Symbol.iterator]();
  if (depth - 1 <= 0) {
    yield* elements(items, list.length, level + 1, `,\n${inner}`);
    return `\n${pad}]`;
  }
  for (let i = 0; i < list.length; i += 1) {
    const last = (yield* member(items.next().value, level + 1, depth - 1)) ?? 'null';
    yield i < list.length - 1 ? `${last},\n${inner}` : last;
  }
  return `\n${pad}]`;
}

/** `count` elements from `items` at indentation `level`, separated by `separator`, in batches of about BATCH characters. */
function* elements(items: Iterator<unknown>, count: number, level: number, separator: string): Generator<string> {
  // Elements per batch: adjusted after each batch to its characters per element.
  let size = 64;
  for (let done = 0; done < count; ) {
    const batch: unknown[] = [];
    while (batch.length < size && done + batch.length < count) batch.push(items.next().value);
    const text = stringifyAt(batch, level - 1)!;
    // The batch's own brackets: "[\n" + its indentation before the first element, "\n" + the indentation of `level - 1` and "]" after the last.
    const body = text.slice(2 + INDENT.length * level, text.length - 2 - INDENT.length * (level - 1));
    done += batch.length;
    yield done < count ? body + separator : body;
    size = Math.max(1, Math.min(100_000, Math.floor((batch.length * BATCH) / Math.max(1, text.length))));
  }
}

function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/**
 * JSON.stringify(v, null, 2) as it appears at indentation `level` inside a
 * larger document: `v` wrapped in `level` one-element arrays, stringified,
 * and the wrappers cut off (their brackets and the indentation before and
 * after `v` are known), so JSON.stringify itself indents every line.
 */
function stringifyAt(v: unknown, level: number): string | undefined {
  if (level === 0 || v === undefined || typeof v === 'function' || typeof v === 'symbol') return JSON.stringify(v, null, 2) as string | undefined;
  let wrapped: unknown = v;
  for (let i = 0; i < level; i += 1) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Before v: "[\n" + INDENT × (i + 1) for each wrapper i; after it: "\n" + INDENT × i + "]" for each.
  const before = 2 * level + (INDENT.length * level * (level + 1)) / 2;
  const after = 2 * level + (INDENT.length * level * (level - 1)) / 2;
  return text.slice(before, text.length - after);
}
