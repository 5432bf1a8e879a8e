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
 *    the caller down: to known accounts, organisations or source resources
 *    (who the caller is), or to a known VPC or VPC endpoint (where the
 *    request comes from; see docs/services/kms.md for why those count).
 * 2. Which other accounts does it let in? Account principals and role/user
 *    ARNs of other accounts in Allow statements, accounts named by
 *    kms:CallerAccount / aws:PrincipalAccount conditions, and — by statement,
 *    since no account is named — everyone-statements that are public or held
 *    only by a VPC condition.
 *
 * A condition restricts only when its operator matches positively
 * (StringEquals/Like, ArnEquals/Like, ForAnyValue:…), without IfExists on a
 * key that requests may lack, and with fixed values: no bare wildcard, no
 * policy variable (AWS Config's kms-key-policy-no-public-access and Security
 * Hub KMS.5 use the same "fixed values" test), and account ids that are
 * account ids.
 *
 * kms:ViaService restricts nothing on its own: it names the AWS service that
 * calls KMS for a principal, not whose principal — any account can create its
 * own volume or bucket naming the key, and the statement applies. AWS's own
 * aws/<service> key policies pair it with kms:CallerAccount.
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service)
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

/**
 * Condition keys that fix who the caller is: the principal's account,
 * organisation or ARN, or — for a service acting on a resource's behalf —
 * the source resource's account, organisation or ARN. The aws:Source* keys
 * are in the request only when a service calls on behalf of a resource, so a
 * direct call by anyone else does not match them (IAM User Guide, global
 * condition keys: "Availability").
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
 */
const CALLER_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceowner',
  'kms:calleraccount',
]);

/**
 * Condition keys that fix where the request comes from, not who sends it. AWS
 * counts a fixed VPC or VPC endpoint as making a policy non-public (Amazon S3
 * User Guide, "The meaning of public", the same fixed-value test AWS Config's
 * kms-key-policy-no-public-access and Security Hub KMS.5 apply), so the key
 * is not public — but principals of any account whose requests pass through
 * that network can use it, which KMS.CROSS_ACCOUNT reports.
 */
const NETWORK_KEYS = new Set(['aws:sourcevpc', 'aws:sourcevpce']);

/** Keys every authenticated request carries: IfExists on them still restricts. */
const ALWAYS_PRESENT = new Set(['aws:principalaccount', 'aws:principalarn', 'kms:calleraccount']);

/**
 * Operators that admit only what their values name. Anything else is not:
 * the …Not… operators admit everyone else, and ForAllValues: (never listed
 * here, so never positive) is satisfied by a request without the key.
 */
const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike']);

const ACCOUNT_KEYS = new Set(['aws:principalaccount', 'aws:sourceaccount', 'kms:calleraccount', 'aws:sourceowner']);
const ORG_ID_KEYS = new Set(['aws:principalorgid', 'aws:sourceorgid']);
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths']);
const ARN_KEYS = new Set(['aws:principalarn', 'aws:sourcearn']);

const ACCOUNT_ID = /^\d{12}$/;

/** The statements of a policy document, normalised. Anything unreadable yields no statement. */
export function policyStatements(document: Json | null | undefined): PolicyStatement[] {
  const raw = asObject(document)?.Statement;
  // One statement or a list; whatever is not an object is no statement.
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((item, index) => {
    const s = asObject(item);
    if (!s) return [];
    const condition: PolicyStatement['condition'] = {};
    for (const [op, block] of Object.entries(asObject(s.Condition) ?? {})) {
      const keys = asObject(block);
      if (keys) condition[op] = keys;
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
  return everyoneStatements(document).flatMap(({ st, everyone, restriction }) =>
    restriction.restricts ? [] : [{ label: st.label, actions: st.actions, principal: everyone, why: restriction.why }],
  );
}

/** Everyone-statements held only by where the request comes from (a fixed VPC or VPC endpoint): not public, open to any account inside. */
export function networkBoundStatements(document: Json | null | undefined): NetworkBoundStatement[] {
  return everyoneStatements(document).flatMap(({ st, restriction }) =>
    restriction.restricts && restriction.by === 'network' ? [{ label: st.label, condition: restriction.why }] : [],
  );
}

export interface NetworkBoundStatement {
  label: string;
  /** The network condition that holds it, e.g. "StringEquals aws:SourceVpce vpce-1a2b3c4d". */
  condition: string;
}

function everyoneStatements(document: Json | null | undefined): Array<{ st: PolicyStatement; everyone: string; restriction: Restriction }> {
  const out: Array<{ st: PolicyStatement; everyone: string; restriction: Restriction }> = [];
  for (const st of policyStatements(document)) {
    if (st.effect !== 'Allow') continue;
    const everyone = everyonePrincipal(st);
    if (!everyone) continue;
    out.push({ st, everyone, restriction: restrictingCondition(st.condition) });
  }
  return out;
}

/** How a statement names everyone, or null when it names specific principals. */
function everyonePrincipal(st: PolicyStatement): string | null {
  if (st.notPrincipal !== undefined) return `NotPrincipal ${JSON.stringify(st.notPrincipal)} (everyone except those named)`;
  const p = st.principal;
  if (p === '*') return 'Principal "*"';
  for (const [kind, value] of Object.entries(asObject(p) ?? {})) {
    if (strings(value).includes('*')) return `Principal {"${kind}": "*"}`;
  }
  return null;
}

/** How a statement's conditions hold it: by who the caller is, by where the request comes from, or not at all. */
export interface Restriction {
  restricts: boolean;
  /** What restricts ("StringEquals kms:CallerAccount 111122223333"), or why nothing does. */
  why: string;
  /** caller: a condition fixes who calls; network: only a VPC or VPC endpoint does. */
  by?: 'caller' | 'network';
}

/** Does any condition pin the caller down? A condition on who calls wins over one on where from. */
export function restrictingCondition(condition: PolicyStatement['condition']): Restriction {
  const operators = Object.keys(condition);
  if (operators.length === 0) return { restricts: false, why: 'no condition' };
  const problems: string[] = [];
  let network: string | null = null;
  for (const [rawOperator, block] of Object.entries(condition)) {
    const parsed = parseOperator(rawOperator);
    for (const [rawKey, value] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      if (!CALLER_KEYS.has(key) && !NETWORK_KEYS.has(key)) {
        problems.push(key === 'kms:viaservice' ? `${rawKey} names the service that calls, not whose principal` : `${rawKey} does not restrict who calls`);
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
        problems.push(values.length === 0 ? `${rawKey} has no value` : looseValues(rawKey, loose));
        continue;
      }
      const what = `${rawOperator} ${rawKey} ${values.join(', ')}`;
      if (CALLER_KEYS.has(key)) return { restricts: true, why: what, by: 'caller' };
      network ??= what;
    }
  }
  if (network) return { restricts: true, why: network, by: 'network' };
  return { restricts: false, why: `no restricting condition: ${problems.join('; ')}` };
}

function parseOperator(raw: string): { positive: boolean; ifExists: boolean } {
  let op = raw.toLowerCase();
  if (op.startsWith('foranyvalue:')) op = op.slice('foranyvalue:'.length);
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  return { positive: POSITIVE_OPERATORS.has(op), ifExists };
}

/**
 * A value that names one thing. AWS Config's kms-key-policy-no-public-access
 * and Security Hub KMS.5 pass a key only when its conditions "use fixed
 * values, which are values that don't contain wildcard characters or policy
 * variables" — so a `*` or `?` anywhere (`vpc-*`, `arn:…:log-group:*`), not only
 * a bare wildcard, leaves the statement open, as it does for the control
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-5).
 * On top of that, the value must have the shape of what the key names.
 */
function fixedValue(key: string, value: string): boolean {
  if (value.includes('${') || /[*?]/.test(value)) return false;
  if (ACCOUNT_KEYS.has(key)) return ACCOUNT_ID.test(value);
  if (ORG_ID_KEYS.has(key)) return /^o-[a-z0-9]{10,32}$/.test(value);
  if (ORG_PATH_KEYS.has(key)) return /^o-[a-z0-9]{10,32}\//.test(value);
  if (ARN_KEYS.has(key)) {
    const arn = parseArn(value);
    if (!arn) return false;
    // ARNs without an account (S3 buckets) name their resource globally.
    return arn.accountId ? ACCOUNT_ID.test(arn.accountId) : arn.resource.length > 0;
  }
  return value.length > 0;
}

/** Why some values of a condition do not restrict: they match anything, or more than one value. */
function looseValues(rawKey: string, loose: string[]): string {
  const list = loose.map((v) => JSON.stringify(v)).join(', ');
  if (loose.every((v) => /^[*?]*$/.test(v))) return `${rawKey} matches anything (${list})`;
  return `${rawKey} is not a fixed value (${list}): wildcards, policy variables and malformed ids match more than one caller`;
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
    for (const principal of strings(asObject(p)?.AWS)) {
      const account = principalAccount(principal);
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

/** The value as a JSON object (not an array, not null), or null. */
function asObject(value: Json | undefined): { [key: string]: Json } | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
