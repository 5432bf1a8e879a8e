/**
 * JSON.stringify(value, null, 2) + "\n", in pieces: the same bytes, but a
 * report of a million resources never becomes one string (V8 refuses
 * strings past ~512 MiB: "Invalid string length"). Objects and arrays near
 * the top are walked member by member; below `depth` each member is
 * stringified whole, which is where JSON.stringify is fast.
 *
 * Same semantics as JSON.stringify for plain data: toJSON is honoured,
 * `undefined` and functions are left out of objects and become null in
 * arrays, non-finite numbers are null.
 */
const INDENT = '  ';

export function* jsonChunks(value: unknown, depth = 2): Generator<string> {
  const text = yield* member(value, '', depth);
  // A top-level value that JSON.stringify would drop entirely (undefined) is written as nothing, as renderJson did.
  if (text !== undefined) yield text;
  yield '\n';
}

/**
 * Yields the pieces of `value` rendered at indentation `pad`; returns the
 * last piece instead of yielding it (so callers can append a comma), or
 * undefined when the value is not serialisable (left out of objects).
 */
function* member(value: unknown, pad: string, depth: number): Generator<string, string | undefined> {
  const v = toJsonValue(value);
  if (v === null || typeof v !== 'object' || depth <= 0) return stringifyAt(v, pad);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = pad + INDENT;
    yield `[\n${inner}`;
    if (depth - 1 <= 0) {
      // Elements stringified whole, gathered into ~64 KiB pieces (no generator per element).
      let parts: string[] = [];
      let size = 0;
      for (let i = 0; i < v.length; i += 1) {
        const text = stringifyAt(toJsonValue(v[i]), inner) ?? 'null';
        parts.push(i < v.length - 1 ? `${text},\n${inner}` : text);
        size += text.length;
        if (size >= 65536) {
          yield parts.join('');
          parts = [];
          size = 0;
        }
      }
      if (parts.length > 0) yield parts.join('');
      return `\n${pad}]`;
    }
    for (let i = 0; i < v.length; i += 1) {
      const last = (yield* member(v[i], inner, depth - 1)) ?? 'null';
      yield i < v.length - 1 ? `${last},\n${inner}` : last;
    }
    return `\n${pad}]`;
  }
  const inner = pad + INDENT;
  let wrote = false;
  for (const key of Object.keys(v)) {
    const item = toJsonValue((v as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    yield `${wrote ? `,\n${inner}` : `{\n${inner}`}${JSON.stringify(key)}: `;
    yield (yield* member(item, inner, depth - 1)) ?? 'null';
    wrote = true;
  }
  return wrote ? `\n${pad}}` : '{}';
}

function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/** JSON.stringify(v, null, 2) as it would appear indented by `pad` inside a larger document. */
function stringifyAt(v: unknown, pad: string): string | undefined {
  const text = JSON.stringify(v, null, 2) as string | undefined;
  if (text === undefined || pad === '' || !text.includes('\n')) return text;
  // JSON.stringify never puts a raw newline inside a string value, so every newline is structure.
  return text.replace(/\n/g, `\n${pad}`);
}
