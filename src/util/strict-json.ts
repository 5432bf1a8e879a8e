/**
 * A strict JSON (RFC 8259) syntax check that says where the first error is
 * and what was expected there. `JSON.parse` rejects the same texts, but its
 * messages differ between Node versions and often carry no position at all
 * (`Unexpected token ']', "[1,2,]" is not valid JSON`), so a policy file
 * could not be reported as FILE:LINE:COL. Duplicate field names, which
 * `JSON.parse` silently resolves to the last one, are reported too.
 *
 * Only checks; parsing the valid text is left to `JSON.parse`.
 */

export interface JsonProblem {
  /** UTF-16 offset into the text, as `String.prototype` indexes it. */
  offset: number;
  message: string;
}

const MAX_DEPTH = 512;

class Stop extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem.message);
  }
}

function found(text: string, i: number): string {
  if (i >= text.length) return 'end of file';
  const ch = text[i]!;
  if (ch === '\n' || ch === '\r') return 'end of line';
  if (ch === "'") return 'single quote';
  if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return 'comment: JSON has no comments';
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i))?.[0];
  if (word) return `"${word}"`;
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${ch}"`;
}

/** Every problem, in text order: at most one syntax error (the scan stops there) and any duplicate field names before it. */
export function strictJsonProblems(text: string): JsonProblem[] {
  const problems: JsonProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark is tolerated (RFC 8259 §8.1)

  /** `what` is the whole complaint; by default "unexpected X" for what stands at `at`. */
  const fail = (expected: string, at = i, what = `unexpected ${found(text, at)}`): never => {
    throw new Stop({ offset: at, message: `${what} (expected ${expected})` });
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i += 1;
  };

  const string = (): string => {
    const start = i;
    i += 1; // the opening quote
    for (;;) {
      if (i >= text.length) fail('a closing " before the end of the file', start, 'unterminated text');
      const ch = text[i]!;
      if (ch === '"') {
        i += 1;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          i += 2;
        } else if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('four hexadecimal digits after \\u', i + 2);
          i += 6;
        } else {
          fail('an escape: \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX', i + 1);
        }
      } else if (ch.charCodeAt(0) < 0x20) {
        if (ch === '\n' || ch === '\r') fail('a closing " before the end of the line; write a line break as \\n', i, 'line break inside a text');
        fail('an escape such as \\t instead of the control character');
      } else {
        i += 1;
      }
    }
  };

  const number = (): void => {
    const start = i;
    if (text[i] === '-') i += 1;
    if (text[i] === '0') {
      i += 1;
      if (/[0-9]/.test(text[i] ?? '')) fail('0, or a number that starts with 1-9', start, 'a number with a leading zero');
    } else if (/[1-9]/.test(text[i] ?? '')) {
      while (/[0-9]/.test(text[i] ?? '')) i += 1;
    } else {
      fail('a digit');
    }
    if (text[i] === '.') {
      i += 1;
      if (!/[0-9]/.test(text[i] ?? '')) fail('a digit after the decimal point');
      while (/[0-9]/.test(text[i] ?? '')) i += 1;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i += 1;
      if (text[i] === '+' || text[i] === '-') i += 1;
      if (!/[0-9]/.test(text[i] ?? '')) fail('a digit in the exponent');
      while (/[0-9]/.test(text[i] ?? '')) i += 1;
    }
  };

  const VALUE = 'a value: an object {…}, a list […], a "double-quoted" text, a number, true, false or null';

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(`at most ${MAX_DEPTH} nested objects and lists`);
    ws();
    const ch = text[i];
    if (ch === '{') return object(depth);
    if (ch === '[') return list(depth);
    if (ch === '"') {
      string();
      return;
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i) && !/[\w$]/.test(text[i + literal.length] ?? '')) {
        i += literal.length;
        return;
      }
    }
    if (ch === "'") fail('a "double-quoted" text');
    fail(VALUE);
  };

  const object = (depth: number): void => {
    i += 1; // {
    const names = new Set<string>();
    ws();
    if (text[i] === '}') {
      i += 1;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') fail('a "double-quoted" field name');
      const at = i;
      const name = string();
      if (names.has(name)) problems.push({ offset: at, message: `duplicate key "${name}": each field may appear once (expected valid JSON)` });
      names.add(name);
      ws();
      if (text[i] !== ':') fail('":" after the field name');
      i += 1;
      value(depth + 1);
      ws();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      if (text[i] !== ',') fail('"," or "}" after the value');
      const comma = i;
      i += 1;
      ws();
      if (text[i] === '}') fail('another "field": value after the comma; JSON allows no trailing comma', comma, 'a trailing comma before "}"');
    }
  };

  const list = (depth: number): void => {
    i += 1; // [
    ws();
    if (text[i] === ']') {
      i += 1;
      return;
    }
    for (;;) {
      value(depth + 1);
      ws();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      if (text[i] !== ',') fail('"," or "]" after the list item');
      const comma = i;
      i += 1;
      ws();
      if (text[i] === ']') fail('another item after the comma; JSON allows no trailing comma', comma, 'a trailing comma before "]"');
    }
  };

  try {
    ws();
    if (i >= text.length) fail(VALUE);
    value(0);
    ws();
    if (i < text.length) fail('the end of the file after the JSON value');
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    problems.push(error.problem);
  }
  return problems;
}
