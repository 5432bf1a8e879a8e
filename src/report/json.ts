/**
 * JSON as atrest writes it (reports, inventories, the keys view, the rules
 * index, the matrix): two-space indented, one trailing newline.
 */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
