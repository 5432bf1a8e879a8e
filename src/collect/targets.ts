import { readFileSync } from 'node:fs';
import { parseArn } from '../aws/arn.js';
import { UsageError } from '../errors.js';
import type { OrganizationAccount, OrganizationListing } from '../aws/organization.js';
import { compareStrings } from '../util/sort.js';

/**
 * Which accounts a scan reads, and how: the caller's own account with its
 * own credentials, or another account through a role (sts:AssumeRole from
 * the caller's credentials). Sources, all combinable:
 *
 * - `--role-arn ARN` (repeatable)
 * - `--accounts-file FILE`: account ids or role ARNs, one a line, `#` comments;
 *   a bare id needs `--role-name NAME` (arn:<partition>:iam::<id>:role/NAME)
 * - `--org-role NAME`: every ACTIVE account organizations:ListAccounts lists,
 *   except the caller's own, through role NAME; `--org-include-self` adds
 *   the caller's account with its own credentials
 * - none of them: the caller's own account (a plain scan, as before)
 *
 * `--accounts` keeps only the listed ids, `--exclude-accounts` drops ids.
 * Every problem names the flag, or the file and line, at fault (exit 2).
 */
export interface AccountTarget {
  accountId: string;
  /** null: read with the caller's own credentials. */
  roleArn: string | null;
  /** Where the target came from, for messages: "--role-arn", "accounts.txt:3", "--org-role", "the calling account". */
  source: string;
}

export interface TargetFlags {
  roleArn?: string[];
  accountsFile?: string;
  roleName?: string;
  orgRole?: string;
  orgIncludeSelf?: boolean;
  accounts?: string[];
  excludeAccounts?: string[];
}

export interface Caller {
  accountId: string;
  partition: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** Does the scan read other accounts (so it needs the caller's identity first, and may need Organizations)? */
export function wantsOtherAccounts(flags: TargetFlags): boolean {
  return Boolean((flags.roleArn && flags.roleArn.length > 0) || flags.accountsFile || flags.orgRole);
}

/** A role ARN's account, or why the string is not a role ARN. */
export function roleArnAccount(value: string): { accountId: string; partition: string } | { problem: string } {
  const arn = parseArn(value.trim());
  if (!arn || arn.service !== 'iam' || arn.region !== '' || !ACCOUNT_ID.test(arn.accountId) || !arn.resource.startsWith('role/') || arn.resource.length <= 'role/'.length) {
    return { problem: `"${value}" is not an IAM role ARN (expected arn:aws:iam::111122223333:role/NAME)` };
  }
  return { accountId: arn.accountId, partition: arn.partition };
}

/** The ARN of role `name` in `accountId`. */
export function roleArnFor(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role/${name.replace(/^\/+/, '')}`;
}

/** Checks --role-name / --org-role: an IAM role name, optionally with a path (path/name). */
export function checkRoleName(flag: string, value: string): string {
  const name = value.trim();
  // IAM role names: up to 64 of [A-Za-z0-9+=,.@_-]; a path is /-separated segments of the same characters.
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
  const segments = name.split('/');
  const last = segments.at(-1) ?? '';
  if (!name || last.length === 0 || last.length > 64 || !segments.every((s) => /^[\w+=,.@-]*$/.test(s))) {
    throw new UsageError(`${flag}: "${value}" is not an IAM role name (up to 64 letters, digits and +=,.@_-, optionally after a path such as audit/)`);
  }
  return name;
}

export interface AccountsFileEntry {
  line: number;
  accountId: string;
  roleArn: string | null;
}

/** Reads an accounts file: one account id or role ARN a line; `#` starts a comment; blank lines are skipped. */
export function readAccountsFile(path: string): AccountsFileEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--accounts-file: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const entries: AccountsFileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const content = raw.replace(/#.*$/, '').trim();
    if (!content) return;
    const line = i + 1;
    if (ACCOUNT_ID.test(content)) {
      entries.push({ line, accountId: content, roleArn: null });
      return;
    }
    const role = roleArnAccount(content);
    if ('problem' in role) throw new UsageError(`${path}:${line}: "${content}" is neither a 12-digit account id nor an IAM role ARN`);
    entries.push({ line, accountId: role.accountId, roleArn: content });
  });
  if (entries.length === 0) throw new UsageError(`--accounts-file: ${path} names no account (one account id or role ARN a line; # comments)`);
  return entries;
}

/** Parses a comma-separated list of account ids (--accounts, --exclude-accounts). */
export function parseAccountList(flag: string, value: string): string[] {
  const ids = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (ids.length === 0) throw new UsageError(`${flag} needs at least one 12-digit account id`);
  for (const id of ids) if (!ACCOUNT_ID.test(id)) throw new UsageError(`${flag}: "${id}" is not a 12-digit account id`);
  return ids;
}

/**
 * The accounts to scan, sorted by id, each once. `organization` is the
 * ListAccounts answer when --org-role was given.
 */
export function buildTargets(flags: TargetFlags, caller: Caller, organization?: OrganizationListing): AccountTarget[] {
  if (flags.orgIncludeSelf && !flags.orgRole) throw new UsageError('--org-include-self only applies with --org-role (it adds the calling account to the organisation\'s accounts)');
  if (flags.roleName && !flags.accountsFile) throw new UsageError('--role-name builds role ARNs for the bare account ids of --accounts-file; pass --accounts-file, or use --org-role for an organisation');
  const targets: AccountTarget[] = [];
  for (const arn of flags.roleArn ?? []) {
    const role = roleArnAccount(arn);
    if ('problem' in role) throw new UsageError(`--role-arn: ${role.problem}`);
    targets.push({ accountId: role.accountId, roleArn: arn.trim(), source: '--role-arn' });
  }
  if (flags.accountsFile) {
    const roleName = flags.roleName ? checkRoleName('--role-name', flags.roleName) : undefined;
    for (const entry of readAccountsFile(flags.accountsFile)) {
      const source = `${flags.accountsFile}:${entry.line}`;
      if (entry.roleArn) {
        targets.push({ accountId: entry.accountId, roleArn: entry.roleArn, source });
      } else if (entry.accountId === caller.accountId && !roleName) {
        targets.push({ accountId: entry.accountId, roleArn: null, source });
      } else if (roleName) {
        targets.push({ accountId: entry.accountId, roleArn: roleArnFor(caller.partition, entry.accountId, roleName), source });
      } else {
        throw new UsageError(`${source}: account ${entry.accountId} has no role: pass --role-name NAME, or write the role ARN on that line`);
      }
    }
  }
  if (flags.orgRole) {
    const roleName = checkRoleName('--org-role', flags.orgRole);
    if (!organization) throw new Error('--org-role needs the organisation listing');
    for (const account of organization.active) {
      if (account.id === caller.accountId) continue;
      targets.push({ accountId: account.id, roleArn: roleArnFor(caller.partition, account.id, roleName), source: '--org-role' });
    }
    if (flags.orgIncludeSelf) targets.push({ accountId: caller.accountId, roleArn: null, source: '--org-include-self' });
  }
  if (!wantsOtherAccounts(flags)) targets.push({ accountId: caller.accountId, roleArn: null, source: 'the calling account' });

  const byId = new Map<string, AccountTarget>();
  for (const t of targets) {
    const seen = byId.get(t.accountId);
    if (!seen) byId.set(t.accountId, t);
    else if (seen.roleArn !== t.roleArn) {
      const how = (x: AccountTarget) => (x.roleArn ? `role ${x.roleArn}` : 'its own credentials');
      throw new UsageError(`account ${t.accountId} is named twice with different access: ${how(seen)} (${seen.source}) and ${how(t)} (${t.source})`);
    }
  }
  let chosen = [...byId.values()];
  if (flags.accounts) {
    const unknown = flags.accounts.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new UsageError(`--accounts: ${unknown.join(', ')} not among the accounts to scan (${[...byId.keys()].sort(compareStrings).join(', ')})`);
    chosen = chosen.filter((t) => flags.accounts!.includes(t.accountId));
  }
  if (flags.excludeAccounts) chosen = chosen.filter((t) => !flags.excludeAccounts!.includes(t.accountId));
  if (chosen.length === 0) throw new UsageError('no account left to scan: --accounts/--exclude-accounts removed every account');
  return chosen.sort((a, b) => compareStrings(a.accountId, b.accountId));
}

/** Accounts of the organisation that are not ACTIVE, for the report's notes. */
export function inactiveNote(accounts: readonly OrganizationAccount[]): string | null {
  if (accounts.length === 0) return null;
  return `not scanned, not ACTIVE in the organisation: ${accounts.map((a) => `${a.id} (${a.state})`).join(', ')}`;
}
