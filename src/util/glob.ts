/**
 * The one glob dialect of atrest (policy scope, waivers, tag values, allowed
 * keys): `*` matches any run of characters, including none and including `:`
 * and `/`; `?` matches exactly one character; everything else is literal and
 * case-sensitive; the pattern must match the whole string. A pattern without
 * `*` or `?` is an exact comparison.
 */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    let source = '^';
    for (const ch of pattern) {
      if (ch === '*') source += '.*';
      else if (ch === '?') source += '.';
      else source += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
    }
    re = new RegExp(`${source}$`, 's');
    cache.set(pattern, re);
  }
  return re;
}

export function globMatch(pattern: string, value: string): boolean {
  if (!isGlob(pattern)) return pattern === value;
  return compile(pattern).test(value);
}
