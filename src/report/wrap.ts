/**
 * Text that fits a terminal. Words wrap at spaces and are never cut: an ARN,
 * a key id or a CLI argument is copied whole from the screen (a word longer
 * than the width gets a line of its own and is the only thing allowed to be
 * wider). Colour codes are measured as zero-width and, since they hold no
 * spaces, a wrap never splits one.
 */

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a string takes on the terminal (colour codes take none). */
export function visibleLength(text: string): number {
  return text.includes('\u001b') ? text.replace(ANSI, '').length : text.length;
}

/** Wraps `text` to `width` columns at spaces; words are never split. Paragraphs (\n) are kept. */
export function wrapText(text: string, width: number): string {
  const w = Math.max(4, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let size = 0;
    for (const word of paragraph.split(/ +/)) {
      const n = visibleLength(word);
      if (!line) {
        line = word;
        size = n;
      } else if (size + 1 + n <= w) {
        line = `${line} ${word}`;
        size += 1 + n;
      } else {
        lines.push(line);
        line = word;
        size = n;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * A shell command wrapped to `width` with ` \` continuations at argument
 * boundaries, so the lines pasted into a shell are still one command.
 */
export function wrapCommand(command: string, width: number): string[] {
  const w = Math.max(8, width - 2);
  const words = command.split(/ +/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= w) line = `${line} ${word}`;
    else {
      lines.push(`${line} \\`);
      line = `  ${word}`;
    }
  }
  lines.push(line);
  return lines.flatMap((l) => splitQuotedJson(l, width));
}

/**
 * A line holding a single-quoted JSON argument ('{"Rules":[…]}') longer than
 * `width` breaks after commas and member colons inside the quotes: there a newline is JSON
 * whitespace and part of the quoted word, so the pasted command is unchanged
 * in meaning (no ` \` inside quotes, where a backslash is literal).
 */
function splitQuotedJson(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const start = line.search(/'[[{]/);
  if (start < 0) return [line];
  const out: string[] = [];
  let current = '';
  for (const piece of line.split(/(?<=,)|(?<=":)/)) {
    if (current && current.length + piece.length > width && current.length > start) {
      out.push(current);
      current = `    ${piece}`;
    } else current += piece;
  }
  out.push(current);
  return out;
}

/**
 * Lines of a table section that must fit `width`: each longer line is
 * wrapped at spaces, continuation lines indented by `indent` spaces.
 */
export function fitLines(lines: readonly string[], width: number, indent = 2): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (visibleLength(line) <= width) {
      out.push(line);
      continue;
    }
    const lead = /^ */.exec(line)![0].length;
    const wrapped = wrapText(line.slice(lead), width - lead - indent).split('\n');
    wrapped.forEach((part, i) => out.push(clampLine(`${' '.repeat(lead + (i === 0 ? 0 : indent))}${part}`, width)));
  }
  return out;
}

/**
 * A line indented under a label that a whole word (an ARN) made wider than
 * `width`: moved left until it fits, never cut. Only a word longer than the
 * terminal itself stays wider (it starts at column 0).
 */
export function clampLine(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  const content = line.trimStart();
  const lead = line.length - content.length;
  const room = width - visibleLength(content);
  return room >= 0 ? `${' '.repeat(Math.min(lead, room))}${content}` : content;
}

/** The widest line of a block of text. */
export function maxLineWidth(text: string): number {
  let max = 0;
  for (const line of text.split('\n')) max = Math.max(max, visibleLength(line));
  return max;
}
