/** The CI contract: the exit codes the README documents ("Exit codes") and --help prints. */
export const EXIT = {
  /** Scan complete, no finding at or above the --fail-on threshold. */
  OK: 0,
  /** At least one finding at or above the threshold. */
  FINDINGS: 1,
  /** Usage or input error: bad flag, unreadable policy or inventory, no credentials. */
  USAGE: 2,
  /** Some results are unknown (the scan could not read everything) and nothing else failed. */
  INCOMPLETE: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
