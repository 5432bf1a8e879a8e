import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLER_ACTIONS, NOT_READ_ONLY_EXCEPTIONS } from '../../src/aws/caller-actions.js';
import { allApis, everyApi, iamActionFor, iamActionForPackage } from '../../src/aws/iam-actions.js';
import { SERVICE_DESCRIPTORS } from '../../src/services/list.js';
import { ROOT, readJson } from '../helpers/fixtures.js';

/**
 * The read-only non-negotiable, enforced: every SDK command or paginator the
 * source imports is a List/Describe/Get call, every one of them is declared
 * by a service descriptor (or CORE_APIS) and allowed by the least-privilege
 * policy we ship — and the policy allows nothing the tool does not call.
 */

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface Call {
  file: string;
  sdkPackage: string;
  operation: string;
  /** The action the descriptors declare for it; null when none does. */
  action: string | null;
}

function sdkCalls(): Call[] {
  const calls: Call[] = [];
  const importRe = /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importRe)) {
      const sdkPackage = `@aws-sdk/client-${match[2]!}`;
      for (const raw of match[1]!.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!;
        let operation: string | null = null;
        if (/^[A-Z]\w*Command$/.test(name)) operation = name.slice(0, -'Command'.length);
        else if (/^paginate[A-Z]\w*$/.test(name)) operation = name.slice('paginate'.length);
        if (!operation) continue;
        calls.push({ file: relative(ROOT, file), sdkPackage, operation, action: iamActionForPackage(sdkPackage, operation) });
      }
    }
  }
  return calls;
}

type Policy = { Statement: Array<{ Effect: string; Action: string[]; Resource: string | string[] }> };
const policy = readJson<Policy>('iam/atrest-readonly-policy.json');
const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
/** The base principal's policy: AssumeRole into each account's scan role, and Organizations ListAccounts (src/aws/core-apis.ts CALLER_APIS). */
const callerPolicy = readJson<Policy>('iam/atrest-assume-role-policy.json');
const callerAllowed = new Set(callerPolicy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
const isReadOnly = (operation: string) => /^(List|Describe|Get)[A-Z]/.test(operation);

describe('read-only contract', () => {
  const calls = sdkCalls();

  it('finds the SDK calls in the source (the scan itself works)', () => {
    expect(calls.map((c) => c.action)).toContain('kms:DescribeKey');
    expect(calls.map((c) => c.action)).toContain('s3:ListAllMyBuckets');
  });

  it('sends only List, Describe and Get operations, but for the documented exceptions: exactly sts:AssumeRole', () => {
    const writes = calls.filter((c) => !isReadOnly(c.operation) && !(String(c.action) in NOT_READ_ONLY_EXCEPTIONS));
    expect(writes, `non-read-only calls: ${JSON.stringify(writes)}`).toEqual([]);
    // The exception list is exactly what the source sends outside List/Describe/Get: no stale entry, no extra one.
    expect([...new Set(calls.filter((c) => !isReadOnly(c.operation)).map((c) => c.action))].sort()).toEqual(Object.keys(NOT_READ_ONLY_EXCEPTIONS).sort());
    expect(Object.keys(NOT_READ_ONLY_EXCEPTIONS)).toEqual(['sts:AssumeRole']);
  });

  it('every call is declared, with its IAM action, by the descriptor of its service (or CORE_APIS)', () => {
    const undeclared = [...new Set(calls.filter((c) => c.action === null).map((c) => `${c.sdkPackage} ${c.operation} (${c.file})`))];
    expect(undeclared, 'add these operations to the apis of the service descriptor (src/services/<id>/service.ts)').toEqual([]);
  });

  it('every declared operation is called somewhere in the source (no stale declarations)', () => {
    const called = new Set(calls.map((c) => `${c.sdkPackage} ${c.operation}`));
    const stale = everyApi().flatMap((api) => Object.keys(api.operations).map((op) => `${api.sdkPackage} ${op}`)).filter((k) => !called.has(k));
    expect(stale).toEqual([]);
  });

  it('every call is allowed by the policy of the principal that sends it', () => {
    const scanning = calls.filter((c) => !CALLER_ACTIONS.has(c.action ?? ''));
    const missing = [...new Set(scanning.filter((c) => !allowed.has(c.action ?? '')).map((c) => `${c.action ?? `${c.sdkPackage} ${c.operation}`} (${c.file})`))];
    expect(missing, 'add these actions to iam/atrest-readonly-policy.json (npm run generate)').toEqual([]);
    const caller = calls.filter((c) => CALLER_ACTIONS.has(c.action ?? ''));
    expect([...new Set(caller.filter((c) => !callerAllowed.has(c.action!)).map((c) => c.action))], 'npm run generate (iam/atrest-assume-role-policy.json)').toEqual([]);
    expect([...new Set(caller.map((c) => c.action))].sort()).toEqual([...CALLER_ACTIONS].sort());
  });

  it('the base principal\'s policy allows exactly AssumeRole (into roles, never "*") and ListAccounts; the read-only policy neither', () => {
    expect([...callerAllowed].sort()).toEqual(['organizations:ListAccounts', 'sts:AssumeRole']);
    const assume = callerPolicy.Statement.find((s) => s.Action.includes('sts:AssumeRole'))!;
    expect([assume.Resource].flat().every((r) => /^arn:aws:iam::\*:role\/.+/.test(r))).toBe(true);
    expect(allowed.has('sts:AssumeRole')).toBe(false);
    expect(allowed.has('organizations:ListAccounts')).toBe(false);
  });

  it('every implied action (IAM checks it inside another call) rides on an operation the source calls', () => {
    const called = new Set(calls.map((c) => `${c.sdkPackage} ${c.operation}`));
    const implied = allApis().flatMap((api) => Object.values(api.impliedActions ?? {}).map((i) => ({ ...i, sdkPackage: api.sdkPackage })));
    expect(implied.map((i) => i.action)).toContain('lambda:ListTags');
    expect(implied.filter((i) => !called.has(`${i.sdkPackage} ${i.within}`))).toEqual([]);
    expect(implied.filter((i) => !allowed.has(i.action))).toEqual([]);
  });

  it('the policy allows nothing the tool does not call, and nothing that writes', () => {
    // What the calls need: their own actions, and the actions IAM checks inside them.
    const impliedByCalled = allApis().flatMap((api) =>
      Object.values(api.impliedActions ?? {})
        .filter((i) => calls.some((c) => c.sdkPackage === api.sdkPackage && c.operation === i.within))
        .map((i) => i.action),
    );
    // A call needs the action of every API that declares it (GetBucketEncryption: s3 and s3express).
    const byEveryApi = calls.flatMap((c) => allApis().filter((a) => a.sdkPackage === c.sdkPackage && c.operation in a.operations).map((a) => a.operations[c.operation]!));
    const used = new Set([...calls.map((c) => c.action), ...byEveryApi, ...impliedByCalled]);
    const unused = [...allowed].filter((a) => !used.has(a));
    expect(unused, 'remove these actions from iam/atrest-readonly-policy.json').toEqual([]);
    expect([...allowed].filter((a) => !/^[a-z0-9-]+:(List|Describe|Get)[A-Za-z]+$/.test(a))).toEqual([]);
  });

  it('the fix of a failed call names an action the policy allows (SCAN.INCOMPLETE remediation)', () => {
    // Every (service, operation) a check can record in a ScanError: each service's declared operations, seen from the atrest service.
    const wrong = SERVICE_DESCRIPTORS.flatMap((d) =>
      d.apis.flatMap((api) =>
        [...Object.entries(api.operations), ...Object.entries(api.impliedActions ?? {}).map(([name, i]) => [name, i.action] as const)].map(([operation, action]) => ({
          service: d.id,
          operation,
          action,
          // A failure names the resource it was about: its ARN's service namespace picks the API (s3 or s3express).
          named: iamActionFor(d.id, operation, `arn:aws:${api.iamPrefix}:us-east-1:111122223333:example`),
        })),
      ),
    ).filter((x) => !allowed.has(x.named) || x.named !== x.action);
    expect(wrong).toEqual([]);
    expect(iamActionFor('sts', 'GetCallerIdentity')).toBe('sts:GetCallerIdentity');
    expect(iamActionFor('s3', 'GetBucketEncryption')).toBe('s3:GetEncryptionConfiguration');
    expect(iamActionFor('aurora', 'DescribeDBClusters')).toBe('rds:DescribeDBClusters');
    expect(iamActionFor('redshift', 'ListNamespaces')).toBe('redshift-serverless:ListNamespaces');
    // GetFunction's TagsError is recorded under ListTags: the fix grants the action IAM checked.
    expect(iamActionFor('lambda', 'ListTags')).toBe('lambda:ListTags');
    // One operation, two IAM actions: the bucket's ARN says which.
    expect(iamActionFor('s3', 'GetBucketEncryption', 'arn:aws:s3:::b')).toBe('s3:GetEncryptionConfiguration');
    expect(iamActionFor('s3', 'GetBucketEncryption', 'arn:aws:s3express:us-east-1:111122223333:bucket/b--use1-az4--x-s3')).toBe('s3express:GetEncryptionConfiguration');
    expect(iamActionFor('s3', 'ListDirectoryBuckets')).toBe('s3express:ListAllMyDirectoryBuckets');
  });
});
