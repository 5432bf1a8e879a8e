/**
 * Wraps text to `width` columns for table cells. Words wrap at spaces; a word
 * longer than the cell (an ARN) is cut into pieces rather than truncated, so
 * the table never hides part of an identifier.
 */
export function wrapText(text: string, width: number): string {
  const w = Math.max(4, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      let rest = word;
      while (rest.length > w) {
        if (line) {
          lines.push(line);
          line = '';
        }
        lines.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= w) line = `${line} ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
