import type { FrameworkId } from '../compliance/frameworks.js';
import type { ServiceName } from '../model/services.js';
import type { ReportFormat } from '../model/formats.js';
import type { FailOn } from '../model/severity.js';
import type { Shard } from '../collect/units.js';

/**
 * The flags the commands take, as commander hands them over. src/cli.ts
 * declares the options and imports these types; the command modules import
 * them from here, never from cli.ts (which loads the commands).
 */

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What `scan` and `evaluate` can write (src/model/formats.ts): also the CI formats (docs/ci.md). */
export { REPORT_FORMATS, type ReportFormat } from '../model/formats.js';

export interface AwsFlags extends ReachFlags {
  profile?: string;
  /** --key-usage: GetKeyLastUsage for each customer managed key (scan, collect, keys). */
  keyUsage?: boolean;
  /** --usage: KMS request usage, quotas and S3 request metrics per Region (scan, collect, keys). */
  usage?: boolean;
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
  /** --report FORMAT=PATH, repeatable: more outputs of the same report. */
  report?: Array<{ format: ReportFormat; path: string }>;
  /** --baseline FILE: a JSON report to mark findings new, existing or resolved against. */
  baseline?: string;
  /** --fail-on-new: the exit code gates only on new findings (needs --baseline). */
  failOnNew?: boolean;
  /** false with --no-step-summary: do not append Markdown to $GITHUB_STEP_SUMMARY. */
  stepSummary?: boolean;
}

/** `atrest iac` flags: the report flags, and what reading code needs (src/commands/iac.ts). */
export interface IacFlags extends ReportFlags {
  iacFormat?: 'terraform-plan' | 'terraform' | 'cloudformation';
  /** --inventory FILE|DIR (repeatable): a live inventory for keys and EBS defaults. */
  inventory?: string[];
  tfDir?: string;
  cfnConditions?: Map<string, boolean>;
  region?: string;
}

/** `atrest fix` flags (src/commands/fix.ts). */
export interface FixFlags {
  format: 'terraform' | 'cloudformation' | 'cli';
  output?: string;
  policy?: string;
}

/**
 * Flags of the live commands (scan, collect, keys) for accounts, sharding and
 * progress (issue 14). Part of AwsFlags.
 */
export interface ReachFlags {
  /** --role-arn, repeatable. */
  roleArn?: string[];
  accountsFile?: string;
  roleName?: string;
  externalId?: string;
  /** Default `atrest`. */
  roleSessionName?: string;
  /** Seconds, 900–43200 (AssumeRole DurationSeconds). */
  sessionDuration?: number;
  orgRole?: string;
  orgIncludeSelf?: boolean;
  accounts?: string[];
  excludeAccounts?: string[];
  shard?: Shard;
  quiet?: boolean;
  progress?: boolean;
}
