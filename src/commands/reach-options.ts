import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseShard } from '../collect/units.js';
import { checkRoleName, parseAccountList } from '../collect/targets.js';
import { UsageError } from '../errors.js';

/**
 * The command-line options of ReachFlags (accounts, sharding, progress) for
 * scan, collect and keys. No AWS SDK module is imported here: `atrest
 * --help` stays fast.
 */
function usage<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      // commander prints "option '--x <v>' argument 'v' is invalid. <message>" and exits 2.
      if (error instanceof UsageError) throw new InvalidArgumentError(error.message.replace(/^--[a-z-]+: /, ''));
      throw error;
    }
  };
}

function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** AssumeRole RoleSessionName: 2–64 of [\w+=,.@-] (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
function sessionName(value: string): string {
  if (!/^[\w+=,.@-]{2,64}$/.test(value)) throw new InvalidArgumentError('expected 2 to 64 letters, digits and +=,.@_-');
  return value;
}

/** AssumeRole ExternalId: 2–1224 of [\w+=,.@:/-]. */
function externalId(value: string): string {
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(value)) throw new InvalidArgumentError('expected 2 to 1224 letters, digits and +=,.@:/_-');
  return value;
}

/** AssumeRole DurationSeconds: 900 (15 minutes) to 43200 (12 hours), capped by the role's MaximumSessionDuration. */
function duration(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 900 || n > 43_200) throw new InvalidArgumentError('expected whole seconds from 900 to 43200 (the role\'s maximum session duration caps it)');
  return n;
}

export function reachOptions(command: Command): Command {
  return command
    .option('--role-arn <arn>', 'scan the account of this IAM role through sts:AssumeRole from the base credentials (repeatable)', repeatable)
    .option('--accounts-file <file>', 'scan the accounts listed in FILE: account ids or role ARNs, one a line, # comments (bare ids need --role-name)')
    .option('--role-name <name>', 'the role to assume in each bare account id of --accounts-file: arn:<partition>:iam::<id>:role/NAME', usage((v) => checkRoleName('--role-name', v)))
    .option('--org-role <name>', 'scan every ACTIVE account of the organisation (organizations:ListAccounts, from the management or a delegated administrator account) through role NAME', usage((v) => checkRoleName('--org-role', v)))
    .option('--org-include-self', 'with --org-role: also scan the calling account, with its own credentials')
    .option('--accounts <ids>', 'scan only these account ids (comma-separated) of the accounts named above', usage((v) => parseAccountList('--accounts', v)))
    .option('--exclude-accounts <ids>', 'leave these account ids out (comma-separated)', usage((v) => parseAccountList('--exclude-accounts', v)))
    .option('--external-id <id>', 'the ExternalId every assumed role requires (sts:ExternalId in its trust policy)', externalId)
    .option('--role-session-name <name>', 'the session name of every assumed role, seen in CloudTrail', sessionName, 'atrest')
    .option('--session-duration <seconds>', 'assumed-role session length, 900-43200 (default: 3600); credentials are refreshed before they expire either way', duration)
    .option('--shard <K/N>', 'scan only share K of N of the (account, region) units: deterministic, whatever the account order (docs/scale.md); merge the shards with "atrest merge"', usage(parseShard))
    .addOption(new Option('--quiet', 'no progress and no summary line on stderr (errors are still printed)').conflicts('progress'))
    .addOption(new Option('--progress', 'draw the live progress line on stderr even when it is not a terminal').conflicts('quiet'));
}

/** The option names of ReachFlags, for `keys --inventory`'s live-only check. */
export const REACH_OPTION_NAMES = [
  'roleArn',
  'accountsFile',
  'roleName',
  'externalId',
  'roleSessionName',
  'sessionDuration',
  'orgRole',
  'orgIncludeSelf',
  'accounts',
  'excludeAccounts',
  'shard',
] as const;
