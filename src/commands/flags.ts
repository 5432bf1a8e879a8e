import type { FrameworkId } from '../compliance/frameworks.js';
import type { ServiceName } from '../model/services.js';
import type { FailOn } from '../model/severity.js';

/**
 * The flags the commands take, as commander hands them over. src/cli.ts
 * declares the options and imports these types; the command modules import
 * them from here, never from cli.ts (which loads the commands).
 */

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `scan` and `evaluate` can write: also the CI formats (docs/ci.md). */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface AwsFlags {
  profile?: string;
  /** --key-usage: GetKeyLastUsage for each customer managed key (scan, collect, keys). */
  keyUsage?: boolean;
  regions?: string;
  services: ServiceName[];
  endpointUrl?: string;
  concurrency: number;
  maxAttempts: number;
  /** --connect-timeout, in milliseconds. */
  connectTimeout?: number;
  /** --request-timeout (per attempt), in milliseconds. */
  requestTimeout?: number;
  /** --max-connections: calls in flight across every account, region and service. */
  maxConnections?: number;
  /** --max-duration, in milliseconds: past it, what was read is written as an incomplete result (exit 3). */
  maxDuration?: number;
  debug?: boolean;
}

export interface ReportFlags {
  format: ReportFormat;
  output?: string;
  failOn: FailOn;
  /** A policy file, or baseline|strict; absent: ./atrest.policy.yaml when it exists, else baseline. */
  policy?: string;
  /** Show suppressed findings (with their waivers) in the table. */
  showSuppressed?: boolean;
  /** Limit the report to one framework's controls and add the per-control summary. */
  compliance?: FrameworkId;
  debug?: boolean;
}
