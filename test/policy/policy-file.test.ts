import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadPolicyFile, PolicyFileError, resolvePolicy } from '../../src/policy/policy-file.js';
import { STARTER_POLICY } from '../../src/commands/policy.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import { SERVICES } from '../../src/services/list.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problemsOf(dir: string, file: string): string[] {
  try {
    loadPolicyFile(file, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyFileError);
    return (error as PolicyFileError).problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  }
  throw new Error('expected the policy to be invalid');
}

const FULL = `name: acme
description: full example
extends: baseline
minimumLevel: aws-managed
allowedKeys: [alias/default-key]
rotation:
  required: true
  maxPeriodDays: 180
services:
  s3:
    minimumLevel: customer-managed
    allowedKeys: [alias/app-data, "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    rotation: { maxPeriodDays: 90 }
  ebs:
    types:
      snapshot:
        minimumLevel: customer-managed
        allowedKeys: [alias/backups]
tagOverrides:
  - name: restricted
    tags: { data-classification: restricted }
    services: [s3, rds]
    minimumLevel: customer-managed-hsm
    allowedKeys: ["alias/hsm-*"]
    rotation: { required: false }
  - tags: { env: "sandbox*" }
    minimumLevel: none
rules:
  S3.BUCKET_KEY: { severity: info }
  S3.SSE_C_BLOCKED: { enabled: false, reason: legacy uploader uses SSE-C }
scope:
  services: [s3, kms]
  regions: [us-east-1]
  include: ["arn:aws:s3:::acme-*", "arn:aws:kms:*"]
  exclude: ["arn:aws:s3:::*-scratch"]
waivers:
  - rule: S3.ENCRYPTION_LEVEL
    resource: "arn:aws:s3:::acme-legacy"
    reason: being decommissioned
    owner: platform@example.com
    expires: 2027-03-31
  - rule: "*"
    resource: "arn:aws:s3:::acme-tmp-*"
    reason: temporary buckets
    owner: data@example.com
    expires: 2027-01-01T00:00:00Z
secretNamePatterns: [PASSWORD, "*_TOKEN"]
`;

describe('policy files: every field resolves into the Policy the rules read', () => {
  it('YAML with every field', () => {
    const dir = dirWith({ 'policy.yaml': FULL });
    const p = loadPolicyFile('policy.yaml', dir);
    expect(p.name).toBe('acme');
    expect(p.description).toBe('full example');
    expect(p.minimumLevel).toEqual({ default: 'aws-managed', s3: 'customer-managed', 'ebs:snapshot': 'customer-managed' });
    expect(p.allowedKeys).toEqual({
      default: ['alias/default-key'],
      s3: ['alias/app-data', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      'ebs:snapshot': ['alias/backups'],
    });
    expect(p.rotation).toEqual({ required: true, maxPeriodDays: 180 });
    expect(p.rotationByService).toEqual({ s3: { maxPeriodDays: 90 } });
    expect(p.tagOverrides).toEqual([
      {
        name: 'restricted',
        tags: { 'data-classification': 'restricted' },
        services: ['s3', 'rds'],
        minimumLevel: 'customer-managed-hsm',
        allowedKeys: ['alias/hsm-*'],
        rotation: { required: false },
        source: 'policy.yaml:20:5',
      },
      { name: 'policy.yaml tagOverrides[1]', tags: { env: 'sandbox*' }, minimumLevel: 'none', source: 'policy.yaml:26:5' },
    ]);
    expect(p.severity).toEqual({ 'S3.BUCKET_KEY': 'info' });
    expect(p.disabledRules).toEqual(['S3.SSE_C_BLOCKED']);
    expect(p.disabledRuleReasons).toEqual({ 'S3.SSE_C_BLOCKED': 'legacy uploader uses SSE-C' });
    expect(p.scope).toEqual({
      services: ['s3', 'kms'],
      regions: ['us-east-1'],
      include: ['arn:aws:s3:::acme-*', 'arn:aws:kms:*'],
      exclude: ['arn:aws:s3:::*-scratch'],
    });
    expect(p.waivers).toEqual([
      { rule: 'S3.ENCRYPTION_LEVEL', resource: 'arn:aws:s3:::acme-legacy', reason: 'being decommissioned', owner: 'platform@example.com', expires: '2027-03-31', source: 'policy.yaml:37:5' },
      { rule: '*', resource: 'arn:aws:s3:::acme-tmp-*', reason: 'temporary buckets', owner: 'data@example.com', expires: '2027-01-01T00:00:00Z', source: 'policy.yaml:42:5' },
    ]);
    expect(p.secretNamePatterns).toEqual(['PASSWORD', '*_TOKEN']);
    expect(p.sources).toEqual(['policy.yaml', 'baseline']);
  });

  it('the same policy as JSON resolves to the same values', () => {
    const dir = dirWith({ 'policy.yaml': FULL });
    const fromYaml = loadPolicyFile('policy.yaml', dir);
    // Re-serialise the parsed YAML as JSON: a (strict) JSON policy file resolves to the same Policy.
    const asJson = JSON.stringify(
      {
        name: 'acme',
        description: 'full example',
        extends: 'baseline',
        minimumLevel: 'aws-managed',
        allowedKeys: ['alias/default-key'],
        rotation: { required: true, maxPeriodDays: 180 },
        services: {
          s3: { minimumLevel: 'customer-managed', allowedKeys: fromYaml.allowedKeys!.s3, rotation: { maxPeriodDays: 90 } },
          ebs: { types: { snapshot: { minimumLevel: 'customer-managed', allowedKeys: ['alias/backups'] } } },
        },
        tagOverrides: fromYaml.tagOverrides!.map(({ name, source: _s, ...rest }, i) => (i === 0 ? { name, ...rest } : rest)),
        rules: { 'S3.BUCKET_KEY': { severity: 'info' }, 'S3.SSE_C_BLOCKED': { enabled: false, reason: 'legacy uploader uses SSE-C' } },
        scope: fromYaml.scope,
        waivers: fromYaml.waivers!.map(({ source: _s, ...w }) => w),
        secretNamePatterns: ['PASSWORD', '*_TOKEN'],
      },
      null,
      2,
    );
    const jdir = dirWith({ 'policy.json': asJson });
    const fromJson = loadPolicyFile('policy.json', jdir);
    const strip = (p: typeof fromYaml) => ({
      ...p,
      sources: undefined,
      tagOverrides: p.tagOverrides!.map(({ source: _s, name, ...o }) => ({ ...o, name: name.replace(/^policy\.(yaml|json) /, '') })),
      waivers: p.waivers!.map(({ source: _s, ...w }) => w),
    });
    expect(strip(fromJson)).toEqual(strip(fromYaml));
    expect(fromJson.sources).toEqual(['policy.json', 'baseline']);
  });

  it('a file without extends starts from baseline; an empty rules map changes nothing', () => {
    const dir = dirWith({ 'p.yaml': 'name: minimal\n' });
    const p = loadPolicyFile('p.yaml', dir);
    expect(p.minimumLevel).toEqual(BASELINE_POLICY.minimumLevel);
    expect(p.rotation).toEqual(BASELINE_POLICY.rotation);
    expect(p.sources).toEqual(['p.yaml', 'baseline']);
    expect(p.tagOverrides).toBeUndefined();
  });

  it('the name defaults to the file name', () => {
    const dir = dirWith({ 'team-a.policy.yaml': 'extends: strict\n' });
    expect(loadPolicyFile('team-a.policy.yaml', dir).name).toBe('team-a.policy');
  });

  it('the starter written by `policy init` is itself valid', () => {
    const dir = dirWith({ 'atrest.policy.yaml': STARTER_POLICY });
    const p = loadPolicyFile('atrest.policy.yaml', dir);
    expect(p.name).toBe('my-organisation');
    expect(p.tagOverrides?.[0]?.name).toBe('restricted-data');
  });
});

describe('extends', () => {
  it('chains child → file → strict, child over parent field by field', () => {
    const dir = dirWith({
      'child.yaml': `extends: ./base/parent.yaml
services:
  s3: { minimumLevel: aws-managed }
tagOverrides:
  - { name: child-override, tags: { tier: gold }, minimumLevel: customer-managed-hsm }
rules:
  S3.SSE_C_BLOCKED: { enabled: true }
  S3.BUCKET_KEY: { severity: high }
waivers:
  - { rule: S3.BUCKET_KEY, resource: "arn:aws:s3:::child", reason: r, owner: o, expires: 2027-01-01 }
`,
    });
    const base = join(dir, 'base');
    mkdirSync(base);
    writeFileSync(
      join(base, 'parent.yaml'),
      `extends: strict
name: parent
rotation: { maxPeriodDays: 200 }
services:
  ebs: { minimumLevel: customer-managed-imported }
tagOverrides:
  - { name: parent-override, tags: { tier: gold }, minimumLevel: aws-managed }
rules:
  S3.SSE_C_BLOCKED: { enabled: false, reason: parent says no }
  S3.BUCKET_KEY: { severity: low }
waivers:
  - { rule: "*", resource: "arn:aws:s3:::parent", reason: r, owner: o, expires: 2027-01-01 }
`,
    );
    const p = loadPolicyFile('child.yaml', dir);
    expect(p.name).toBe('child');
    expect(p.sources).toEqual(['child.yaml', join('base', 'parent.yaml'), 'strict']);
    expect(p.minimumLevel.s3).toBe('aws-managed'); // child
    expect(p.minimumLevel.ebs).toBe('customer-managed-imported'); // parent
    expect(p.minimumLevel.rds).toBe(STRICT_POLICY.minimumLevel.rds); // strict
    expect(p.rotation).toEqual({ required: true, maxPeriodDays: 200 });
    expect(p.tagOverrides!.map((o) => o.name)).toEqual(['child-override', 'parent-override']);
    expect(p.disabledRules).toEqual([]);
    expect(p.severity['S3.BUCKET_KEY']).toBe('high');
    expect(p.waivers!.map((w) => w.resource)).toEqual(['arn:aws:s3:::child', 'arn:aws:s3:::parent']);
    expect(p.waivers![1]!.source).toBe(`${join('base', 'parent.yaml')}:12:5`);
  });

  it('a cycle is an error that names the cycle', () => {
    const dir = dirWith({ 'a.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'extends: ./c.yaml\n', 'c.yaml': 'extends: a.yaml\n' });
    const problems = problemsOf(dir, 'a.yaml');
    expect(problems).toEqual(['c.yaml:1:1: extends cycle: a.yaml → b.yaml → c.yaml → a.yaml (expected a chain that ends in baseline, strict or a file that extends nothing)']);
  });

  it('a file that extends itself is a cycle', () => {
    const dir = dirWith({ 'self.yaml': 'extends: ./self.yaml\n' });
    expect(problemsOf(dir, 'self.yaml')[0]).toContain('extends cycle: self.yaml → self.yaml');
  });

  it('a missing parent is reported at the extends line; problems of a parent keep the parent file name', () => {
    const dir = dirWith({
      'a.yaml': 'name: a\nextends: ./missing.yaml\n',
      'b.yaml': 'extends: ./bad-parent.yaml\nminimumLevel: nope\n',
      'bad-parent.yaml': 'rotation:\n  required: maybe\n',
    });
    expect(problemsOf(dir, 'a.yaml')).toEqual([
      'a.yaml:2:10: cannot read "./missing.yaml": no such file (expected baseline, strict or a policy file path relative to a.yaml)',
    ]);
    expect(problemsOf(dir, 'b.yaml')).toEqual([
      'b.yaml:2:15: the text "nope" is not allowed here (expected one of none, aws-owned, aws-managed, customer-managed, customer-managed-imported, customer-managed-hsm)',
      'bad-parent.yaml:2:13: the text "maybe" is the wrong type (expected true or false)',
    ]);
  });
});

describe('every problem with its line and column, all at once', () => {
  const BAD = `name: acme
minimumLevel: aws-manged
rotation:
  required: yes
  maxPeriodDays: 30
services:
  s3:
    allowedKeys: [alias/app-data, not-a-key]
    types:
      buckets: { minimumLevel: none }
  ec2: {}
tagOverrides:
  - tags: { data-classification: restricted }
rules:
  S3.BUCKET_KEY: { severity: meh }
  S3.NOPE: { enabled: false }
  lowercase: { enabled: false }
scope:
  regions: [us-east-1, moon]
waivers:
  - rule: S3.ENCRYPTION_LEVEL
    resource: "arn:aws:s3:::legacy"
    reason: old
    expires: 2027-02-30
  - rule: "*"
    resource: "arn:aws:s3:::x"
    reason: r
    owner: o
    expires: next week
    ticket: 1
`;

  it('lists each kind of mistake at its position, with what was expected', () => {
    const dir = dirWith({ 'bad.yaml': BAD });
    const problems = problemsOf(dir, 'bad.yaml');
    expect(problems).toEqual([
      'bad.yaml:2:15: the text "aws-manged" is not allowed here (expected one of none, aws-owned, aws-managed, customer-managed, customer-managed-imported, customer-managed-hsm)',
      'bad.yaml:4:13: the text "yes" is the wrong type (expected true or false)',
      'bad.yaml:5:18: the number 30 is out of range (expected a whole number from 90 to 2560)',
      'bad.yaml:8:35: "not-a-key" is not a KMS key (expected a key ARN, a key id, an alias name such as alias/app-data, an alias ARN, or a glob)',
      'bad.yaml:10:7: unknown resource type "buckets" for s3 (expected one of bucket, directory-bucket)',
      `bad.yaml:11:3: unknown field "ec2" (expected one of ${SERVICES.join(', ')})`,
      'bad.yaml:13:5: the tag override demands nothing (expected at least one of minimumLevel, allowedKeys, rotation, levelFailureSeverity)',
      'bad.yaml:15:30: the text "meh" is not allowed here (expected one of critical, high, medium, low, info)',
      expect.stringMatching(/^bad\.yaml:16:3: unknown rule "S3\.NOPE" \(expected one of .*S3\.ENCRYPTION_LEVEL.*\)$/),
      'bad.yaml:17:3: "lowercase" is not a rule id (expected SERVICE.WHAT, such as S3.ENCRYPTION_LEVEL)',
      'bad.yaml:19:24: the text "moon" is malformed (expected a region name such as us-east-1)',
      'bad.yaml:21:5: missing field "owner" (expected rule, resource, reason, owner, expires)',
      'bad.yaml:24:14: "2027-02-30" is not a calendar date (expected a real date YYYY-MM-DD)',
      'bad.yaml:29:14: the text "next week" is malformed (expected a date YYYY-MM-DD or an ISO 8601 date-time such as 2027-03-31T12:00:00Z)',
      'bad.yaml:30:5: unknown field "ticket" (expected one of rule, resource, reason, owner, expires)',
    ]);
  });

  it('YAML syntax errors and duplicate keys are reported with their position', () => {
    const dir = dirWith({ 'syntax.yaml': 'name: a\nservices:\n  s3: [1, 2\n', 'dup.yaml': 'name: a\nname: b\n' });
    const syntax = problemsOf(dir, 'syntax.yaml');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]).toMatch(/^syntax\.yaml:[34]:\d+: .+ \(expected valid YAML or JSON\)$/);
    expect(problemsOf(dir, 'dup.yaml')).toEqual(['dup.yaml:2:1: duplicate key: each field may appear once (expected valid YAML or JSON)']);
  });

  it('JSON files get positions too', () => {
    const dir = dirWith({ 'p.json': '{\n  "name": "j",\n  "rotation": { "maxPeriodDays": 5000 }\n}\n' });
    expect(problemsOf(dir, 'p.json')).toEqual(['p.json:3:34: the number 5000 is out of range (expected a whole number from 90 to 2560)']);
  });

  it('a .json file must be strict JSON: a trailing comma is a syntax error at its position, with what was expected', () => {
    const dir = dirWith({
      'comma.json': '{"minimumLevel":"aws-owned",}',
      'comma.yaml': '{"minimumLevel":"aws-owned",}', // YAML flow mappings allow it: the extension decides
      'multi.json': '{\n  "minimumLevel": "aws-owned",\n  "rules": {\n    "S3.BUCKET_KEY": { "severity": "info" },\n  }\n}\n',
    });
    expect(problemsOf(dir, 'comma.json')).toEqual(['comma.json:1:28: a trailing comma before "}" (expected another "field": value after the comma; JSON allows no trailing comma)']);
    expect(loadPolicyFile('comma.yaml', dir).minimumLevel.default).toBe('aws-owned');
    expect(problemsOf(dir, 'multi.json')).toEqual(['multi.json:4:44: a trailing comma before "}" (expected another "field": value after the comma; JSON allows no trailing comma)']);
  });

  it('other things YAML accepts but JSON does not: comments, single quotes, bare words, unquoted names, a second value', () => {
    const cases: Record<string, [string, string]> = {
      'comment.json': ['{\n  // baseline plus\n  "name": "x"\n}', 'comment.json:2:3: unexpected comment: JSON has no comments (expected a "double-quoted" field name)'],
      'single.json': ["{ 'name': 'x' }", 'single.json:1:3: unexpected single quote (expected a "double-quoted" field name)'],
      'bare.json': ['{ "minimumLevel": aws-owned }', 'bare.json:1:19: unexpected "aws" (expected a value: an object {…}, a list […], a "double-quoted" text, a number, true, false or null)'],
      'unquoted.json': ['{ name: "x" }', 'unquoted.json:1:3: unexpected "name" (expected a "double-quoted" field name)'],
      'two.json': ['{ "name": "x" }\n{ "name": "y" }\n', 'two.json:2:1: unexpected "{" (expected the end of the file after the JSON value)'],
      'open.json': ['{ "name": "x"\n', 'open.json:2:1: unexpected end of file (expected "," or "}" after the value)'],
      'list.json': ['{ "secretNamePatterns": ["PASSWORD",] }', 'list.json:1:36: a trailing comma before "]" (expected another item after the comma; JSON allows no trailing comma)'],
      'dup.json': ['{ "name": "a", "name": "b" }', 'dup.json:1:16: duplicate key "name": each field may appear once (expected valid JSON)'],
    };
    const dir = dirWith(Object.fromEntries(Object.entries(cases).map(([file, [text]]) => [file, text])));
    for (const [file, [, problem]] of Object.entries(cases)) expect(problemsOf(dir, file), file).toEqual([problem]);
  });

  it('strict JSON that YAML would read differently is read as JSON; a byte order mark and CRLF line ends are fine', () => {
    const dir = dirWith({
      'tabs.json': '{\r\n\t"name": "tabbed",\r\n\t"secretNamePatterns": ["A\\/B", "\\u0050IN"]\r\n}\r\n',
      'bom.json': '\uFEFF{ "name": "bom" }',
      'bad-crlf.json': '{\r\n  "name": "x",\r\n}',
    });
    expect(loadPolicyFile('tabs.json', dir)).toMatchObject({ name: 'tabbed', secretNamePatterns: ['A/B', 'PIN'] });
    expect(loadPolicyFile('bom.json', dir).name).toBe('bom');
    expect(problemsOf(dir, 'bad-crlf.json')).toEqual(['bad-crlf.json:2:14: a trailing comma before "}" (expected another "field": value after the comma; JSON allows no trailing comma)']);
  });

  it('an empty .json file is explained like an empty YAML file', () => {
    const dir = dirWith({ 'empty.json': '  \n' });
    expect(problemsOf(dir, 'empty.json')[0]).toMatch(/^empty\.json:1:1: the file is empty \(expected a mapping/);
  });

  it('an empty file and a list instead of a mapping are explained', () => {
    const dir = dirWith({ 'empty.yaml': '# nothing\n', 'list.yaml': '- a\n- b\n' });
    expect(problemsOf(dir, 'empty.yaml')[0]).toMatch(/^empty\.yaml:1:1: the file is empty \(expected a mapping/);
    expect(problemsOf(dir, 'list.yaml')).toEqual(['list.yaml:1:1: a list is the wrong type (expected a mapping)']);
  });

  it('the error message has no stack trace and names every problem', () => {
    const dir = dirWith({ 'bad.yaml': BAD });
    try {
      loadPolicyFile('bad.yaml', dir);
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n')[0]).toBe('invalid policy: 15 problems');
      expect(message).not.toMatch(/\n\s+at /);
    }
  });
});

describe('--policy resolution', () => {
  it('built-in names, files, and the automatic atrest.policy.yaml', () => {
    const empty = dirWith({});
    expect(resolvePolicy(undefined, empty)).toMatchObject({ name: 'baseline', sources: ['baseline'] });
    expect(resolvePolicy('strict', empty)).toMatchObject({ name: 'strict', sources: ['strict'] });
    const withFile = dirWith({ 'atrest.policy.yaml': 'name: discovered\n', 'other.yaml': 'name: other\n' });
    expect(resolvePolicy(undefined, withFile)).toMatchObject({ name: 'discovered', sources: ['atrest.policy.yaml', 'baseline'] });
    expect(resolvePolicy('other.yaml', withFile).name).toBe('other');
    expect(() => resolvePolicy('nonexistent.yaml', empty)).toThrow(UsageError);
    expect(() => resolvePolicy('nonexistent.yaml', empty)).toThrow(/neither a built-in policy \(baseline, strict\) nor a file/);
  });
});

describe('quotaHeadroomPercent (KMS.QUOTA_HEADROOM)', () => {
  it('is read, inherited, and reported by policy name', () => {
    const dir = dirWith({ 'base.yaml': 'quotaHeadroomPercent: 70\n', 'child.yaml': 'extends: ./base.yaml\n' });
    expect(loadPolicyFile(join(dir, 'base.yaml'), dir).quotaHeadroomPercent).toBe(70);
    expect(loadPolicyFile(join(dir, 'child.yaml'), dir).quotaHeadroomPercent).toBe(70);
    expect(BASELINE_POLICY.quotaHeadroomPercent).toBeUndefined();
  });

  it('must be more than 0 and at most 100, with the line and column', () => {
    const dir = dirWith({ 'bad.yaml': 'name: bad\nquotaHeadroomPercent: 120\n', 'zero.yaml': 'quotaHeadroomPercent: 0\n', 'text.yaml': 'quotaHeadroomPercent: lots\n' });
    expect(problemsOf(dir, join(dir, 'bad.yaml'))).toEqual([expect.stringMatching(/^bad\.yaml:2:23: .*100/)]);
    expect(problemsOf(dir, join(dir, 'zero.yaml'))).toEqual([expect.stringMatching(/^zero\.yaml:1:23: /)]);
    expect(problemsOf(dir, join(dir, 'text.yaml'))).toEqual([expect.stringMatching(/^text\.yaml:1:23: /)]);
  });
});
