import { removePendingFiles } from './output-target.js';

/**
 * Ctrl-C and SIGTERM during a live scan: stop at once and write nothing.
 *
 * Every result file is written in one synchronous call at the very end, and
 * a JavaScript signal handler only runs between such calls, so with this
 * handler in place a signal can never cut a file short (without it, the
 * default action would kill the process in the middle of a large write). The
 * exit code is the shell's convention for "killed by signal N": 128 + N.
 */
const CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export interface InterruptGuard {
  /** Call once the result is on disk or stdout: a later signal says so instead of "nothing was written". */
  written(): void;
  /** Removes the handlers (the command is over). */
  release(): void;
}

export function guardInterrupts(onStop: () => void): InterruptGuard {
  let written = false;
  const handler = (signal: 'SIGINT' | 'SIGTERM'): void => {
    try {
      onStop();
      removePendingFiles();
    } finally {
      process.stderr.write(
        written ? `atrest: stopped by ${signal} after the result was written\n` : `atrest: stopped by ${signal}; nothing was written\n`,
      );
      process.exit(CODES[signal]);
    }
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    written: () => {
      written = true;
    },
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
