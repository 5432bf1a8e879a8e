/**
 * Durations on the command line: `--max-duration 900`, `90s`, `15m`, `2h`,
 * `1h30m`. A bare number is seconds, like --connect-timeout and
 * --request-timeout. Returns milliseconds, or null when the text is not a
 * duration (the caller names the flag in its error).
 */
export function parseDurationMs(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(value);
  if (!match || value === '') return null;
  const [, h, m, s] = match;
  return Math.round(((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000);
}
