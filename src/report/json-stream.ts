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
  const v = toJsonValue(value);
  if (v === null || typeof v !== 'object' || depth <= 0) return stringifyAt(v, level);
  const pad = INDENT.repeat(level);
  const inner = pad + INDENT;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    yield `[\n${inner}`;
    if (depth - 1 <= 0) {
      yield* elements(v, level + 1, `,\n${inner}`);
      return `\n${pad}]`;
    }
    for (let i = 0; i < v.length; i += 1) {
      const last = (yield* member(v[i], level + 1, depth - 1)) ?? 'null';
      yield i < v.length - 1 ? `${last},\n${inner}` : last;
    }
    return `\n${pad}]`;
  }
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

/** The elements of `list` at indentation `level`, separated by `separator`, in batches of about BATCH characters. */
function* elements(list: readonly unknown[], level: number, separator: string): Generator<string> {
  // Elements per batch: adjusted after each batch to its characters per element.
  let size = 64;
  for (let start = 0; start < list.length; ) {
    const batch = list.slice(start, start + size);
    const text = stringifyAt(batch, level - 1)!;
    // The batch's own brackets: "[\n" + its indentation before the first element, "\n" + the indentation of `level - 1` and "]" after the last.
    const body = text.slice(2 + INDENT.length * level, text.length - 2 - INDENT.length * (level - 1));
    start += batch.length;
    yield start < list.length ? body + separator : body;
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
