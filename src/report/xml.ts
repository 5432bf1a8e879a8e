/**
 * XML 1.0 escaping for the JUnit reporter. Text can hold anything a finding
 * message holds (AWS error messages, tag values, non-ASCII names), so:
 * - characters XML 1.0 forbids (C0 controls other than tab, LF and CR,
 *   unpaired surrogates, U+FFFE and U+FFFF) become U+FFFD: no escape can
 *   carry them;
 * - `&`, `<` and `>` are always escaped (`>` so `]]>` never appears);
 * - in attributes, `"` and `'` too, and tab, LF and CR as character
 *   references, which attribute-value normalisation would otherwise turn
 *   into spaces; CR is a reference in text as well (parsers fold it into LF).
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Anything xmlText changes; most text has none of it and is returned as it is (one scan instead of five). */
const TEXT_SPECIAL = /[\u0000-\u0008\u000B-\u001F&<>\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Anything xmlAttr changes. */
const ATTR_SPECIAL = /[\u0000-\u001F&<>"'\uD800-\uDFFF\uFFFE\uFFFF]/;

export function xmlText(value: string): string {
  if (!TEXT_SPECIAL.test(value)) return value;
  return value.replace(FORBIDDEN, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function xmlAttr(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return value;
  return xmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** `name="value"` pairs, in the order given. */
export function xmlAttrs(attrs: ReadonlyArray<readonly [string, string | number]>): string {
  return attrs.map(([name, value]) => ` ${name}="${xmlAttr(String(value))}"`).join('');
}
