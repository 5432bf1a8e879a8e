#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';
import { describeAwsError, isAwsSdkError } from './aws/errors.js';
import { EXIT } from './exit-codes.js';
import type { ServiceName } from './model/services.js';
import { SERVICES, isServiceName } from './services/list.js';
import { FAIL_ON_VALUES, type FailOn } from './model/severity.js';
import { OUTPUT_FORMATS, type AwsFlags, type OutputFormat, type ReportFlags } from './commands/flags.js';
import { FRAMEWORK_NAMES, frameworkByName, type FrameworkId } from './compliance/frameworks.js';
import { parseDurationMs } from './util/duration.js';
import { TOOL_VERSION } from './version.js';
import { REPORT_FORMATS, isReportFormat, type ReportFormat } from './model/formats.js';
import { REACH_OPTION_NAMES, reachOptions } from './commands/reach-options.js';

/**
 * The command line. This file imports no AWS SDK module: every command loads
 * its implementation on demand, so `atrest --help` and `atrest --version`
 * start fast (see README, "Start-up").
 */

/** `--report FORMAT=PATH` (PATH `-` is stdout), collected in order. */
function parseReportTarget(value: string, previous: Array<{ format: ReportFormat; path: string }> | undefined): Array<{ format: ReportFormat; path: string }> {
  const at = value.indexOf('=');
  const format = at > 0 ? value.slice(0, at).trim().toLowerCase() : '';
  const path = at > 0 ? value.slice(at + 1) : '';
  if (!isReportFormat(format) || path === '') {
    throw new InvalidArgumentError(`expected FORMAT=PATH with FORMAT one of ${REPORT_FORMATS.join(', ')} and PATH a file or - for stdout (e.g. --report sarif=atrest.sarif)`);
  }
  return [...(previous ?? []), { format, path }];
}

function parseFramework(value: string): FrameworkId {
  const framework = frameworkByName(value);
  if (!framework) throw new InvalidArgumentError(`unknown framework "${value}" (expected one of ${FRAMEWORK_NAMES.join(', ')})`);
  return framework.id;
}

/** Checked when the command runs (src/commands/iac.ts parses it); here only its shape, so a typo is a usage error at once. */
function parseConditionsLazy(value: string): string {
  if (!/^\s*[A-Za-z0-9]+=(true|false)(\s*,\s*[A-Za-z0-9]+=(true|false))*\s*$/i.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not NAME=true|false,… (expected e.g. IsProd=true,UseKms=false)`);
  }
  return value;
}

function parseServices(value: string): ServiceName[] {
  const list = [...new Set(value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (list.length === 0) throw new InvalidArgumentError(`name at least one service (${SERVICES.join(', ')})`);
  for (const s of list) {
    if (!isServiceName(s)) throw new InvalidArgumentError(`unknown service "${s}" (expected some of ${SERVICES.join(', ')})`);
  }
  return list as ServiceName[];
}

function parsePositiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

/** Seconds (decimals allowed) from `min` to `max`, returned in milliseconds. */
function parseSeconds(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n >= min && n <= max)) throw new InvalidArgumentError(`expected seconds from ${min} to ${max}, e.g. 10 or 2.5`);
    return Math.round(n * 1000);
  };
}

function parseMaxDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === null || ms < 1000) throw new InvalidArgumentError('expected a duration of at least 1 s: seconds (900) or with a unit (90s, 15m, 2h, 1h30m)');
  return ms;
}

function awsOptions(command: Command): Command {
  return reachOptions(command
    .option('--profile <name>', 'AWS profile from the shared config/credentials files (default: the SDK default chain)')
    .option('--regions <list>', 'comma-separated regions to scan, or "all" (default: every region enabled for the account, from EC2 DescribeRegions; AWS_REGION, AWS_DEFAULT_REGION or the profile only say where the first calls go)')
    .option('--services <list>', `comma-separated services to scan: ${SERVICES.join(',')} (default: all implemented)`, parseServices)
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (local emulators, VPC endpoints); AWS_ENDPOINT_URL also works')
    .option('--concurrency <n>', 'AWS calls in flight per service and region (per account), 1..64', parsePositiveInt(64), 8)
    .option('--max-connections <n>', 'AWS calls in flight at once across every account, region and service (each holds one connection), 1..1024', parsePositiveInt(1024), 64)
    .option('--max-attempts <n>', 'the most attempts per AWS call, later passes included, 1..20: throttling is retried with back-off, errors that may heal (5xx, timeouts) a few times and once more after the rest of the scan, others not at all', parsePositiveInt(20), 8)
    .option('--connect-timeout <seconds>', 'seconds to establish a connection to an AWS endpoint', parseSeconds(0.1, 300), 5_000)
    .option('--request-timeout <seconds>', 'seconds one attempt of an AWS call may take, from sending it to the last byte of the answer', parseSeconds(0.1, 3600), 30_000)
    .option('--max-duration <duration>', 'stop reading AWS after this long (900, 90s, 15m, 2h) and write what was read as an incomplete result (exit 3)', parseMaxDuration));
}

function keyUsageOption(command: Command): Command {
  return command
    .option(
      '--key-usage',
      'also ask KMS when each customer managed key was last used (GetKeyLastUsage, paced to 5 requests per second per region); feeds KMS.UNUSED_KEY',
    )
    .option(
      '--usage',
      'also read the KMS request usage of the last 30 days (CloudWatch GetMetricData), the applied KMS request quotas (Service Quotas) and S3 request metrics, per region: the monthly request charge, the quota headroom (KMS.QUOTA_HEADROOM) and what drives them',
    );
}

/** `atrest keys` options that only make sense against AWS, refused with --inventory. */
const LIVE_ONLY_OPTIONS = [
  'profile',
  'regions',
  'services',
  'endpointUrl',
  'concurrency',
  'maxConnections',
  'maxAttempts',
  'connectTimeout',
  'requestTimeout',
  'maxDuration',
  'keyUsage',
  'usage',
  'saveInventory',
  ...REACH_OPTION_NAMES,
] as const;

/** --format and --output FILE, for every command that prints `what`: table|json, and for reports also sarif|junit. */
function outputOptions(command: Command, what: string, formats: readonly string[] = OUTPUT_FORMATS, description = 'output format', defaultFormat = 'table'): Command {
  return command
    .addOption(new Option('--format <format>', description).choices([...formats]).default(defaultFormat))
    .option('--output <file>', `write ${what} to this file instead of stdout (- is stdout; files are replaced atomically)`);
}

function reportOptions(command: Command, defaultFormat: ReportFormat = 'table'): Command {
  return outputOptions(
    command,
    'the report',
    REPORT_FORMATS,
    'output format: table (terminal), json (evidence, schema/report.schema.json), sarif (SARIF 2.1.0 for GitHub code scanning), junit (JUnit XML for CI test reports), markdown (pull requests, step summaries), csv (one row per finding), ocsf (OCSF 1.3.0 Detection Findings), html (one self-contained file); see docs/ci.md',
    defaultFormat,
  )
    .option('--report <format=path>', `also write the report in FORMAT to PATH (- for stdout), repeatable: --report sarif=atrest.sarif --report json=evidence.json; FORMAT: ${REPORT_FORMATS.join(', ')}`, parseReportTarget)
    .option('--baseline <file>', 'a previous JSON report: mark every finding new or existing and list the resolved ones (matched by rule id and resource ARN)')
    .option('--fail-on-new', 'with --baseline: exit 1 only for new findings at or above --fail-on (unknown results still exit 3)')
    .option('--no-step-summary', 'do not append the Markdown summary to $GITHUB_STEP_SUMMARY (appended when that variable is set)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity fails (info: every failing finding, informational ones such as KMS.CROSS_ACCOUNT included)').choices([...FAIL_ON_VALUES]).default('high'))
    .option('--policy <file|name>', 'policy file (YAML or JSON, see docs/policy.md) or a built-in policy: baseline, strict (default: ./atrest.policy.yaml if it exists, else baseline)')
    .option('--show-suppressed', 'also list the findings that waivers suppress, with their waivers (table)')
    .option('--compliance <framework>', `report only the rules mapped to a framework, with a per-control pass/fail summary: ${FRAMEWORK_NAMES.join(', ')} (one framework per run)`, parseFramework);
}

/**
 * Commander keeps the last of a repeated option silently. atrest refuses a
 * repeated single-valued option instead (`--compliance a --compliance b`
 * could mean either): only --report, --role-arn (one per account) and the
 * variadic --inventory repeat.
 */
function refuseRepeatedOptions(command: Command, args: readonly string[]): void {
  const repeatable = new Set(['--report', '--inventory', '--role-arn']);
  const seen = new Map<string, number>();
  for (const arg of args) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = arg.split('=')[0]!;
    const option = command.options.find((o) => o.long === name || (o.negate && o.long === name));
    if (!option || repeatable.has(name) || option.variadic) continue;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (seen.get(name) === 2) throw new UsageError(`${name} was given more than once; it takes one value (give it once)`);
  }
}

export function buildProgram(): Command {
  const program = new Command('atrest')
    .description('Audit encryption at rest across AWS accounts: which key protects every resource, scored against a per-service matrix.')
    .version(TOOL_VERSION, '-V, --version', 'print the version')
    .option('--debug', 'log every AWS call to stderr and print stack traces')
    .showSuggestionAfterError()
    .hook('preAction', (_program, action) => refuseRepeatedOptions(action, process.argv.slice(2)))
    // Set before the subcommands are added: they inherit these settings.
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`atrest: ${message.replace(/^error: /, '')}`) })
    .addHelpText(
      'after',
      `
Exit codes:
  0  scan complete, no finding at or above --fail-on
  1  at least one finding at or above --fail-on
  2  usage or input error (bad flag, unreadable file, no credentials)
  3  some results unknown (could not read everything) and nothing else failed

Examples:
  atrest scan --profile prod --regions us-east-1,eu-west-1
  atrest scan --format json --output report.json
  atrest scan --format sarif --output atrest.sarif      (GitHub code scanning, docs/ci.md)
  atrest evaluate inventory.json --format junit --output atrest-junit.xml
  atrest collect --output inventory.json && atrest evaluate inventory.json
  atrest scan --org-role atrest-readonly --org-include-self --format json --output org.json
  atrest collect --org-role atrest-readonly --shard 2/8 --output shard-2.json
  atrest merge shard-*.json --output org.json
  atrest keys --regions us-east-1,eu-west-1 --key-usage
  atrest scan --regions us-east-1 --usage               (KMS request cost and quota headroom, docs/services/kms.md)
  atrest keys --inventory inventory.json --format json
  atrest evaluate inventory.json --policy atrest.policy.yaml --compliance cis-5.0
  atrest iac plan.json --inventory inventory.json --format sarif --output iac.sarif   (docs/iac.md)
  atrest iac infra/ templates/stack.yaml
  atrest fix report.json --format terraform --output fixes/
  atrest evaluate inventory.json --report sarif=atrest.sarif --report html=atrest.html --report json=evidence.json
  atrest evaluate inventory.json --baseline last-week.json --fail-on-new
  atrest diff last-week.json today.json --format markdown
  atrest verify evidence.json
  atrest policy init && atrest policy check atrest.policy.yaml
  atrest rules --format json
  atrest matrix --format json`,
    );

  keyUsageOption(reportOptions(awsOptions(program.command('scan').description('read the live settings from AWS, evaluate them and report'))))
    .option('--save-inventory <file>', 'also write the collected inventory to this file')
    .action(async (flags: AwsFlags & ReportFlags & { saveInventory?: string }) => {
      const { runScan } = await import('./commands/scan.js');
      process.exitCode = await runScan({ ...flags, debug: program.opts().debug as boolean | undefined });
    });

  keyUsageOption(awsOptions(program.command('collect').description('read the live settings from AWS and write the inventory (no judgement); exit 3 if anything was unreadable')))
    .option('--output <file>', 'write the inventory to this file instead of stdout')
    .action(async (flags: AwsFlags & { output?: string }) => {
      const { runCollect } = await import('./commands/collect.js');
      process.exitCode = await runCollect({ ...flags, debug: program.opts().debug as boolean | undefined });
    });

  reportOptions(
    program
      .command('evaluate')
      .description('evaluate inventory files (or folders of them) offline, without AWS')
      .argument('<inventory...>', 'inventory JSON files written by "atrest collect", or folders holding them (merged)'),
  ).action(async (paths: string[], flags: ReportFlags) => {
    const { runEvaluate } = await import('./commands/evaluate.js');
    process.exitCode = await runEvaluate(paths, { ...flags, debug: program.opts().debug as boolean | undefined });
  });

  reportOptions(
    program
      .command('iac')
      .description('judge Terraform plans (terraform show -json), Terraform files (.tf) and CloudFormation templates before deployment, with the same rules, policy and waivers as the live account (docs/iac.md); never calls AWS')
      .argument('<path...>', 'plan JSON files, .tf files or folders of them (root modules), CloudFormation templates (YAML or JSON), or folders holding any of them'),
  )
    .addOption(new Option('--iac-format <format>', 'read every path as this format instead of detecting it by content').choices(['terraform-plan', 'terraform', 'cloudformation']))
    .option('--inventory <file>', 'a live inventory (atrest collect) or a folder of them: resolves the keys the code names and the Region\'s EBS encryption by default (repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--tf-dir <dir>', 'the Terraform configuration a plan was made from: findings point at its .tf files and lines (SARIF annotations)')
    .option('--cfn-conditions <list>', 'CloudFormation conditions to fix, NAME=true|false,… (default: every Fn::If branch is judged and the worse decides)', (value: string) => parseConditionsLazy(value))
    .option('--region <region>', 'the Region of resources whose code names none (CloudFormation templates, providers without a region)')
    .action(async (paths: string[], flags: ReportFlags & Record<string, unknown>) => {
      const { runIac } = await import('./commands/iac.js');
      const cfnConditions = flags.cfnConditions as string | undefined;
      const { parseConditions } = await import('./commands/iac.js');
      process.exitCode = await runIac(paths, {
        ...(flags as ReportFlags),
        ...(flags.iacFormat ? { iacFormat: flags.iacFormat as 'terraform-plan' | 'terraform' | 'cloudformation' } : {}),
        ...(flags.inventory ? { inventory: flags.inventory as string[] } : {}),
        ...(flags.tfDir ? { tfDir: flags.tfDir as string } : {}),
        ...(cfnConditions ? { cfnConditions: parseConditions(cfnConditions) } : {}),
        ...(flags.region ? { region: flags.region as string } : {}),
        debug: program.opts().debug as boolean | undefined,
      });
    });

  program
    .command('fix')
    .description('write fixes for the failing findings of a JSON report (live or pre-deploy): one file per resource, as Terraform (with import blocks for live resources), CloudFormation or AWS CLI commands (docs/iac.md)')
    .argument('<report>', 'a JSON report of atrest scan, evaluate or iac (--format json)')
    .addOption(new Option('--format <format>', 'what to write').choices(['terraform', 'cloudformation', 'cli']).makeOptionMandatory())
    .option('--output <dir>', 'write the files to this folder (created if needed) instead of printing them')
    .option('--policy <file|name>', 'the policy whose remediation.defaultKey (or allowed keys) the fixes name (default: ./atrest.policy.yaml if it exists, else baseline)')
    .action(async (report: string, flags: { format: 'terraform' | 'cloudformation' | 'cli'; output?: string; policy?: string }) => {
      const { runFix } = await import('./commands/fix.js');
      process.exitCode = await runFix(report, flags);
    });

  const merge = reportOptions(
    program
      .command('merge')
      .description('merge inventories or JSON reports (of shards, accounts or regions) into one and evaluate it under one policy, offline (docs/scale.md)')
      .argument('<files...>', 'inventory files, JSON reports (--format json), or folders holding them'),
    // The merged document is what a merge is for: JSON unless --format says otherwise.
    'json',
  )
    .option('--save-inventory <file>', 'also write the merged inventory to this file')
    .option('--quiet', 'no summary line on stderr');
  merge.action(async (paths: string[], flags: ReportFlags & { saveInventory?: string; quiet?: boolean }) => {
    const { runMerge } = await import('./commands/merge.js');
    process.exitCode = await runMerge(paths, { ...flags, debug: program.opts().debug as boolean | undefined });
  });

  const keys = keyUsageOption(
    awsOptions(
      program
        .command('keys')
        .description(
          'a key-centred view: every KMS key with its aliases, manager, origin, state, rotation, dependants and estimated monthly cost, and the key findings; live from AWS, or offline with --inventory',
        ),
    ),
  )
    .option('--inventory <paths...>', 'read inventory files (or folders of them) written by "atrest collect" instead of calling AWS; merged like "evaluate"')
    .option('--save-inventory <file>', 'also write the collected inventory to this file (live only)');
  outputOptions(keys, 'the view')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a key finding at or above this severity fails (info includes informational ones such as KMS.CROSS_ACCOUNT)').choices([...FAIL_ON_VALUES]).default('none'))
    .option('--policy <file|name>', 'policy file or built-in policy, as for scan (default: ./atrest.policy.yaml if it exists, else baseline)');
  keys.action(async (flags: AwsFlags & Omit<ReportFlags, 'format'> & { format: OutputFormat; inventory?: string[]; saveInventory?: string }) => {
    if (flags.inventory) {
      const clash = LIVE_ONLY_OPTIONS.filter((name) => keys.getOptionValueSource(name) === 'cli');
      if (clash.length > 0) {
        const names = clash.map((name) => `--${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`);
        throw new UsageError(`--inventory reads inventory files offline; ${names.join(', ')} only apply when reading from AWS`);
      }
    }
    const { runKeys } = await import('./commands/keys.js');
    process.exitCode = await runKeys({ ...flags, debug: program.opts().debug as boolean | undefined });
  });
  outputOptions(
    program
      .command('diff')
      .description('what changed between two JSON reports: new and resolved findings, protection levels up or down, key state and rotation changes, scores; exit 1 when a new finding fails at or above --fail-on')
      .argument('<old>', 'the earlier JSON report (atrest scan|evaluate --format json)')
      .argument('<new>', 'the later JSON report'),
    'the diff',
    ['table', 'json', 'markdown'],
    'output format: table, json or markdown',
  )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a new failing finding is at or above this severity').choices([...FAIL_ON_VALUES]).default('high'))
    .action(async (oldFile: string, newFile: string, flags: { format: 'table' | 'json' | 'markdown'; output?: string; failOn: FailOn }) => {
      const { runDiff } = await import('./commands/diff.js');
      process.exitCode = await runDiff(oldFile, newFile, flags);
    });

  program
    .command('verify')
    .description('check a JSON report against its evidence digest: exit 0 when every byte is as atrest wrote it, 1 when anything changed (docs/evidence.md)')
    .argument('<report>', 'a JSON report written by atrest scan|evaluate --format json')
    .action(async (file: string) => {
      const { runVerify } = await import('./commands/verify.js');
      process.exitCode = await runVerify(file);
    });

  const policy = program.command('policy').description('write or validate policy files (no AWS access)');
  policy
    .command('init')
    .description('write a commented starter policy (default atrest.policy.yaml); never overwrites an existing file')
    .argument('[file]', 'where to write it')
    .action(async (file: string | undefined) => {
      const { runPolicyInit } = await import('./commands/policy.js');
      process.exitCode = await runPolicyInit(file);
    });
  policy
    .command('check')
    .description('validate a policy file and its extends chain without scanning: exit 0 valid, 2 invalid (every problem as FILE:LINE:COL)')
    .argument('<file>', 'the policy file')
    .action(async (file: string) => {
      const { runPolicyCheck } = await import('./commands/policy.js');
      process.exitCode = await runPolicyCheck(file);
    });

  outputOptions(
    program
      .command('rules')
      .description('list every rule atrest evaluates: what it checks and why, the matrix facts it relies on, its fix, and the compliance controls it evidences (no AWS access)'),
    'the index',
  ).action(async (flags: { format: OutputFormat; output?: string }) => {
    const { runRules } = await import('./commands/rules.js');
    process.exitCode = await runRules(flags);
  });

  outputOptions(program.command('matrix').description('print the per-service encryption matrix the rules rely on'), 'the matrix').action(
    async (flags: { format: OutputFormat; output?: string }) => {
      const { runMatrix } = await import('./commands/matrix.js');
      process.exitCode = await runMatrix(flags);
    },
  );

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  // The SDK warns on every run that its 2027 releases will need Node 22. The
  // versions atrest locks support Node 20, so the warning is noise for a
  // user; --debug still shows it.
  if (!debug) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors were already printed.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`atrest: ${error.message}\n`);
      if (debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
      return EXIT.USAGE;
    }
    // An SDK error that escaped a command is told in the service's words
    // (code and message, or status and content type), never with the SDK's
    // notes about hidden fields.
    const message = isAwsSdkError(error)
      ? (({ code, message: text }) => `${code}: ${text}`)(describeAwsError(error))
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`atrest: unexpected error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.USAGE;
  }
}

// `atrest evaluate … | head` closes the pipe early: that is the reader's
// choice, not an error worth a stack trace. Registered before main() runs, so
// it is the handler that sees the EPIPE: exit with the code decided so far.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
