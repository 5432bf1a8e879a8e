import { globMatch, isGlob } from '../../util/glob.js';

/**
 * The default secret-looking name fragments: credentials, keys and tokens as
 * they are usually spelt in environment variables. `DB_PASSWORD`,
 * `StripeApiKey`, `GITHUB_TOKEN`, `jwt_secret`, `AWS_SECRET_ACCESS_KEY` all
 * match. Kept deliberately specific: `KEY` alone would flag `CACHE_KEY_PREFIX`
 * and `AUTH` would flag `AUTHOR_NAME`. A URL with credentials in it
 * (`DATABASE_URL`, `*_CONNECTION_STRING`) counts as a secret.
 */
export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'API_KEY',
  'APIKEY',
  'PRIVATE_KEY',
  'PRIVATEKEY',
  'CREDENTIAL',
  'ACCESS_KEY',
  'ACCESSKEY',
  'SIGNING_KEY',
  'ENCRYPTION_KEY',
  'CONNECTION_STRING',
  'DATABASE_URL',
];

/**
 * Does a secret-name pattern match a variable name? Case-insensitive. A
 * pattern with `*` or `?` is a glob (src/util/glob.ts) over the whole name:
 * `*_TOKEN` matches `GITHUB_TOKEN` but not `TOKEN_URL`. Any other pattern is
 * a substring: `TOKEN` matches both.
 */
export function secretPatternMatches(pattern: string, name: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (!p) return false;
  const n = name.toUpperCase();
  return isGlob(p) ? globMatch(p, n) : n.includes(p);
}

/**
 * Does `pattern` catch every name the built-in substring `builtIn` catches?
 * Exact for substrings (`PASS` covers `PASSWORD`); for a glob, judged on
 * sample names with the built-in at the start, the end, alone and inside.
 * Used only to warn that a replacing list drops built-in patterns.
 */
export function secretPatternCovers(pattern: string, builtIn: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (!p) return false;
  if (!isGlob(p)) return builtIn.toUpperCase().includes(p);
  const b = builtIn.toUpperCase();
  return [b, `X_${b}`, `${b}_X`, `X_${b}_X`, `X${b}X`].every((name) => globMatch(p, name));
}

/** Patterns as secretPatternMatches reads them (trimmed, upper case, glob or not), prepared once per list. */
const prepared = new WeakMap<readonly string[], ReadonlyArray<{ p: string; glob: boolean }>>();

function prepare(patterns: readonly string[]): ReadonlyArray<{ p: string; glob: boolean }> {
  let list = prepared.get(patterns);
  if (!list) {
    list = patterns.map((pattern) => pattern.trim().toUpperCase()).filter((p) => p !== '').map((p) => ({ p, glob: isGlob(p) }));
    prepared.set(patterns, list);
  }
  return list;
}

/**
 * The names in `names` that match one of `patterns` (secretPatternMatches,
 * with each pattern and name upper-cased once, not once per pair), sorted.
 */
export function secretLookingNames(names: readonly string[], patterns: readonly string[]): string[] {
  const live = prepare(patterns);
  if (live.length === 0) return [];
  const matches = (name: string) => {
    const n = name.toUpperCase();
    return live.some(({ p, glob }) => (glob ? globMatch(p, n) : n.includes(p)));
  };
  return [...new Set(names.filter(matches))].sort();
}
