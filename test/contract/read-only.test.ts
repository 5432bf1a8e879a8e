import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readJson } from '../helpers/fixtures.js';

/**
 * The read-only non-negotiable, enforced: every SDK command or paginator the
 * source imports is a List/Describe/Get call, and every one of them is
 * allowed by the least-privilege policy we ship — and the policy allows
 * nothing the tool does not call.
 */

/** IAM action names that differ from the API operation name. */
const IAM_ACTION_FOR: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  'redshift-serverless:ListNamespaces': 'redshift-serverless:ListNamespaces',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface Call {
  file: string;
  operation: string;
  action: string;
}

function sdkCalls(): Call[] {
  const calls: Call[] = [];
  const importRe = /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importRe)) {
      const prefix = match[2]!;
      for (const raw of match[1]!.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!;
        let operation: string | null = null;
        if (/^[A-Z]\w*Command$/.test(name)) operation = name.slice(0, -'Command'.length);
        else if (/^paginate[A-Z]\w*$/.test(name)) operation = name.slice('paginate'.length);
        if (!operation) continue;
        const key = `${prefix}:${operation}`;
        calls.push({ file: relative(ROOT, file), operation, action: IAM_ACTION_FOR[key] ?? key });
      }
    }
  }
  return calls;
}

const policy = readJson<{ Statement: Array<{ Effect: string; Action: string[] }> }>('iam/atrest-readonly-policy.json');
const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));

describe('read-only contract', () => {
  const calls = sdkCalls();

  it('finds the SDK calls in the source (the scan itself works)', () => {
    expect(calls.map((c) => c.action)).toContain('kms:DescribeKey');
    expect(calls.map((c) => c.action)).toContain('s3:ListAllMyBuckets');
  });

  it('sends only List, Describe and Get operations', () => {
    const writes = calls.filter((c) => !/^(List|Describe|Get)[A-Z]/.test(c.operation));
    expect(writes, `non-read-only calls: ${JSON.stringify(writes)}`).toEqual([]);
  });

  it('every call is allowed by iam/atrest-readonly-policy.json', () => {
    const missing = [...new Set(calls.filter((c) => !allowed.has(c.action)).map((c) => `${c.action} (${c.file})`))];
    expect(missing, 'add these actions to iam/atrest-readonly-policy.json').toEqual([]);
  });

  it('the policy allows nothing the tool does not call, and nothing that writes', () => {
    const used = new Set(calls.map((c) => c.action));
    const unused = [...allowed].filter((a) => !used.has(a));
    expect(unused, 'remove these actions from iam/atrest-readonly-policy.json').toEqual([]);
    expect([...allowed].filter((a) => !/^[a-z0-9-]+:(List|Describe|Get)[A-Za-z]+$/.test(a))).toEqual([]);
  });
});
