import { parseArn } from '../../aws/arn.js';
import type { Json } from '../../model/inventory.js';
import { compareStrings } from '../../util/sort.js';

/**
 * Reading a KMS key policy document (pure; the document comes from the
 * inventory). Two questions:
 *
 * 1. Is the key public? An Allow statement whose principal is everyone —
 *    `"*"`, `{"AWS": "*"}` (IAM treats the two alike), or any NotPrincipal,
 *    which allows everyone but the names listed — and no condition that pins
 *    the caller to known accounts, organisations, sources or services.
 * 2. Which other accounts does it let in? Account principals and role/user
 *    ARNs of other accounts in Allow statements, and accounts named by
 *    kms:CallerAccount / aws:PrincipalAccount conditions.
 *
 * A condition restricts only when its operator matches positively
 * (StringEquals/Like, ArnEquals/Like, ForAnyValue:…), without IfExists on a
 * key that requests may lack, and with fixed values: no bare wildcard, no
 * policy variable (AWS Config's kms-key-policy-no-public-access uses the same
 * "fixed values" test), and account ids that are account ids.
 */

export interface PolicyStatement {
  /** Sid, or "#<index>" when the statement has none. */
  label: string;
  effect: string;
  principal: Json | undefined;
  notPrincipal: Json | undefined;
  actions: string[];
  condition: { [operator: string]: { [key: string]: Json } };
}

export interface PublicStatement {
  label: string;
  actions: string[];
  /** How the statement names everyone. */
  principal: string;
  /** Why its conditions do not restrict the caller ("no condition", or what is wrong with them). */
  why: string;
}

export interface CrossAccountAccess {
  accountId: string;
  /** The principal as written, or the condition that named the account. */
  principal: string;
  /** policy | policy-condition | grant */
  source: 'policy' | 'policy-condition' | 'grant';
  statement?: string;
}

/** Condition keys that pin the caller to known accounts, organisations, sources or services. */
const RESTRICTING_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'kms:calleraccount',
  'kms:viaservice',
]);

/** Keys every authenticated request carries: IfExists on them still restricts. */
const ALWAYS_PRESENT = new Set(['aws:principalaccount', 'aws:principalarn', 'kms:calleraccount']);

const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount', 'kms:calleraccount', 'aws:sourceowner']);
const ORG_ID_KEYS = new Set(['aws:principalorgid', 'aws:sourceorgid']);
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths']);
const ARN_KEYS = new Set(['aws:principalarn', 'aws:sourcearn']);

const ACCOUNT_ID = /^\d{12}$/;

/** The statements of a policy document, normalised. Anything unreadable yields no statement. */
export function policyStatements(document: Json | null | undefined): PolicyStatement[] {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return [];
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  return list.flatMap((s, index) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return [];
    const condition: PolicyStatement['condition'] = {};
    if (s.Condition && typeof s.Condition === 'object' && !Array.isArray(s.Condition)) {
      for (const [op, block] of Object.entries(s.Condition)) {
        if (block && typeof block === 'object' && !Array.isArray(block)) condition[op] = block as { [key: string]: Json };
      }
    }
    return [
      {
        label: typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${index}`,
        effect: typeof s.Effect === 'string' ? s.Effect : '',
        principal: s.Principal,
        notPrincipal: s.NotPrincipal,
        actions: s.Action !== undefined ? strings(s.Action) : s.NotAction !== undefined ? [`every action except ${strings(s.NotAction).join(', ')}`] : [],
        condition,
      },
    ];
  });
}

/** Allow statements that let anyone in. */
export function publicStatements(document: Json | null | undefined): PublicStatement[] {
  const out: PublicStatement[] = [];
  for (const st of policyStatements(document)) {
    if (st.effect !== 'Allow') continue;
    const everyone = everyonePrincipal(st);
    if (!everyone) continue;
    const restriction = restrictingCondition(st.condition);
    if (restriction.restricts) continue;
    out.push({ label: st.label, actions: st.actions, principal: everyone, why: restriction.why });
  }
  return out;
}

/** How a statement names everyone, or null when it names specific principals. */
function everyonePrincipal(st: PolicyStatement): string | null {
  if (st.notPrincipal !== undefined) return `NotPrincipal ${JSON.stringify(st.notPrincipal)} (everyone except those named)`;
  const p = st.principal;
  if (p === '*') return 'Principal "*"';
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    for (const [kind, value] of Object.entries(p)) {
      if (strings(value).includes('*')) return `Principal {"${kind}": "*"}`;
    }
  }
  return null;
}

/** Does any condition pin the caller down? */
export function restrictingCondition(condition: PolicyStatement['condition']): { restricts: boolean; why: string } {
  const operators = Object.keys(condition);
  if (operators.length === 0) return { restricts: false, why: 'no condition' };
  const problems: string[] = [];
  for (const [rawOperator, block] of Object.entries(condition)) {
    const parsed = parseOperator(rawOperator);
    for (const [rawKey, value] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!RESTRICTING_KEYS.has(key)) {
        problems.push(`${rawKey} does not restrict who calls`);
        continue;
      }
      if (!parsed.positive) {
        problems.push(`${rawOperator} on ${rawKey} excludes some callers but admits everyone else`);
        continue;
      }
      if (parsed.ifExists && !ALWAYS_PRESENT.has(key)) {
        problems.push(`${rawOperator} lets requests without ${rawKey} through`);
        continue;
      }
      const values = strings(value);
      const loose = values.filter((v) => !fixedValue(key, v));
      if (values.length === 0 || loose.length > 0) {
        problems.push(`${rawKey} ${values.length === 0 ? 'has no value' : `matches anything (${loose.map((v) => JSON.stringify(v)).join(', ')})`}`);
        continue;
      }
      return { restricts: true, why: `${rawOperator} ${rawKey}` };
    }
  }
  return { restricts: false, why: `no restricting condition: ${problems.join('; ')}` };
}

function parseOperator(raw: string): { positive: boolean; ifExists: boolean } {
  let op = raw.toLowerCase();
  if (op.startsWith('forallvalues:')) return { positive: false, ifExists: false }; // an empty set satisfies ForAllValues
  if (op.startsWith('foranyvalue:')) op = op.slice('foranyvalue:'.length);
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  return { positive: POSITIVE_OPERATORS.has(op), ifExists };
}

/** A value that names something specific (AWS Config's "fixed value" test, plus shape checks). */
function fixedValue(key: string, value: string): boolean {
  if (value.includes('${')) return false;
  if (/^[*?]*$/.test(value)) return false;
  if (ACCOUNT_KEYS.has(key)) return ACCOUNT_ID.test(value);
  if (ORG_ID_KEYS.has(key)) return /^o-[a-z0-9]{10,32}$/.test(value);
  if (ORG_PATH_KEYS.has(key)) return /^o-[a-z0-9]{10,32}\//.test(value);
  if (ARN_KEYS.has(key)) {
    const arn = parseArn(value);
    if (!arn) return false;
    if (arn.accountId) return ACCOUNT_ID.test(arn.accountId);
    // ARNs without an account (S3 buckets): the resource must be named, not a pattern.
    return arn.resource.length > 0 && !/^[*?]/.test(arn.resource);
  }
  return !value.startsWith('*');
}

/** The account a principal string belongs to: a 12-digit id, or the account field of an ARN. */
export function principalAccount(principal: string): string | null {
  if (ACCOUNT_ID.test(principal)) return principal;
  const arn = parseArn(principal);
  return arn && ACCOUNT_ID.test(arn.accountId) ? arn.accountId : null;
}

/** Principals of other accounts that the policy's Allow statements let in. */
export function crossAccountFromPolicy(document: Json | null | undefined, ownAccount: string): CrossAccountAccess[] {
  const out: CrossAccountAccess[] = [];
  for (const st of policyStatements(document)) {
    if (st.effect !== 'Allow') continue;
    const p = st.principal;
    const aws = p && typeof p === 'object' && !Array.isArray(p) ? strings(p.AWS) : [];
    for (const principal of aws) {
      const account = principal === '*' ? null : principalAccount(principal);
      if (account && account !== ownAccount) out.push({ accountId: account, principal, source: 'policy', statement: st.label });
    }
    // Everyone-principals narrowed to accounts by condition: those accounts are let in.
    if (everyonePrincipal(st)) {
      for (const [rawOperator, block] of Object.entries(st.condition)) {
        if (!parseOperator(rawOperator).positive) continue;
        for (const [rawKey, value] of Object.entries(block)) {
          const key = rawKey.toLowerCase();
          if (key !== 'kms:calleraccount' && key !== 'aws:principalaccount') continue;
          for (const v of strings(value)) {
            if (ACCOUNT_ID.test(v) && v !== ownAccount) out.push({ accountId: v, principal: `${rawKey} ${v}`, source: 'policy-condition', statement: st.label });
          }
        }
      }
    }
  }
  return out;
}

/** Grantees of other accounts. */
export function crossAccountFromGrants(granteePrincipals: readonly string[], ownAccount: string): CrossAccountAccess[] {
  return granteePrincipals.flatMap((principal) => {
    const account = principalAccount(principal);
    return account && account !== ownAccount ? [{ accountId: account, principal, source: 'grant' as const }] : [];
  });
}

/** Distinct account ids, sorted. */
export function accountsOf(access: readonly CrossAccountAccess[]): string[] {
  return [...new Set(access.map((a) => a.accountId))].sort(compareStrings);
}

function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
