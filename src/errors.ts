/**
 * An error the user can fix (a bad flag, an unreadable file, no credentials).
 * The CLI prints its message on one line and exits 2, without a stack trace
 * unless --debug is given.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
