import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInventories } from '../../src/inventory-file.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { Report } from '../../src/model/report.js';
import { resolvePolicy } from '../../src/policy/policy-file.js';
import { FINGERPRINT_KEY, SARIF_LEVEL, SECURITY_SEVERITY, buildSarif, renderSarif, resourcePath, ruleName, type SarifLog } from '../../src/report/sarif.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import { buildRulesIndex } from '../../src/engine/rule-index.js';
import { ROOT } from '../helpers/fixtures.js';
import { sarifProblems } from '../helpers/sarif.js';

const index = buildRulesIndex();
const demoInventory = (): Inventory => readInventories([join(ROOT, 'fixtures', 'demo')]).inventory;
const demo = (policy: Policy = BASELINE_POLICY): Report => evaluate(demoInventory(), policy, { failOn: 'high' });
/** fixtures/policy: active, expired and stale waivers, severity overrides. */
const acme = (): Report =>
  evaluate(readInventories([join(ROOT, 'fixtures', 'policy', 'inventory.json')]).inventory, resolvePolicy(join(ROOT, 'fixtures', 'policy', 'acme.policy.yaml')), { failOn: 'high' });

const run = (log: SarifLog) => log.runs[0]!;

describe('SARIF structure (the spec sections atrest uses, and what GitHub demands)', () => {
  it.each([
    ['the demo account', demo],
    ['the demo account under the strict policy', () => demo(resolvePolicy('strict'))],
    ['the waiver fixture', acme],
  ])('%s passes every structure check', (_name, make) => {
    const log = JSON.parse(renderSarif(make(), index));
    expect(sarifProblems(log)).toEqual([]);
    expect(run(log).results.length).toBeGreaterThan(0);
  });

  it('the structure checks catch what they are there for (they can fail)', () => {
    const good = (): any => JSON.parse(renderSarif(demo(), index));
    const broken: Array<[string, (log: any) => void, RegExp]> = [
      ['wrong version', (l) => (l.version = '2.0.0'), /\$\.version/],
      ['no driver name', (l) => delete l.runs[0].tool.driver.name, /driver\.name/],
      ['a level outside the enum', (l) => (l.runs[0].results[0].level = 'critical'), /results\[0\]\.level/],
      ['ruleIndex pointing at another rule', (l) => (l.runs[0].results[0].ruleIndex += 1), /results\[0\]\.ruleIndex: points at/],
      ['ruleIndex past the end', (l) => (l.runs[0].results[0].ruleIndex = 10_000), /ruleIndex: must index/],
      ['duplicate rule ids', (l) => (l.runs[0].tool.driver.rules[1].id = l.runs[0].tool.driver.rules[0].id), /duplicate rule id/],
      ['no message text', (l) => (l.runs[0].results[0].message = {}), /message\.text/],
      ['a logical location only', (l) => delete l.runs[0].results[0].locations[0].physicalLocation, /artifactLocation\.uri: GitHub rejects/],
      ['no location', (l) => (l.runs[0].results[0].locations = []), /locations: GitHub needs/],
      ['an ARN as the URI', (l) => (l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'arn:aws:s3:::x'), /relative path/],
      ['security-severity without the security tag', (l) => (l.runs[0].tool.driver.rules[0].properties.tags = ['x']), /tagged "security"/],
      ['a bad suppression kind', (l) => (l.runs[0].results[0].suppressions = [{ kind: 'waiver' }]), /suppressions\[0\]\.kind/],
    ];
    for (const [name, mutate, problem] of broken) {
      const log = good();
      mutate(log);
      const problems = sarifProblems(log);
      expect(problems.some((p) => problem.test(p)), `${name}: ${problems.join('; ')}`).toBe(true);
    }
  });
});

describe('SARIF content', () => {
  it('one result per fail, unknown and suppressed finding, in report order; pass and not-applicable are not results', () => {
    const report = demo();
    const log = buildSarif(report, index);
    const expected = report.findings.filter((f) => ['fail', 'unknown', 'suppressed'].includes(f.status));
    expect(run(log).results.map((r) => [r.ruleId, r.locations[0]!.logicalLocations[0]!.fullyQualifiedName, r.properties.status])).toEqual(
      expected.map((f) => [f.ruleId, f.resourceArn, f.status]),
    );
    expect(run(log).results).toHaveLength(report.summary.byStatus.fail + report.summary.byStatus.unknown + report.summary.byStatus.suppressed);
    expect(report.summary.byStatus.pass + report.summary.byStatus['not-applicable']).toBeGreaterThan(0);
  });

  it('maps severity to level for failures, and makes every unknown a warning that says it could not be decided', () => {
    const report = demo();
    const results = run(buildSarif(report, index)).results;
    const failures = results.filter((r) => r.properties.status === 'fail');
    expect(new Set(failures.map((r) => r.properties.severity)).size).toBeGreaterThanOrEqual(3);
    for (const r of failures) expect(r.level).toBe(SARIF_LEVEL[r.properties.severity as keyof typeof SARIF_LEVEL]);
    expect(SARIF_LEVEL).toEqual({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' });
    const unknown = results.filter((r) => r.properties.status === 'unknown');
    expect(unknown.length).toBe(report.summary.byStatus.unknown);
    for (const r of unknown) {
      expect(r.level).toBe('warning');
      expect(r.message.text).toMatch(/^Could not be decided \(never counted as a pass\): /);
    }
    // A failure's message carries the finding's message, its fix and the resource.
    const f = report.findings.find((x) => x.status === 'fail' && x.remediation)!;
    const r = results.find((x) => x.ruleId === f.ruleId && x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === f.resourceArn)!;
    expect(r.message.text).toBe(`${f.message}\nFix: ${f.remediation!.summary}\nResource: ${f.resourceArn}`);
  });

  it('describes every rule of the index once, by id, with title, rationale, fix, controls and GitHub security-severity', () => {
    const log = buildSarif(demo(), index);
    const rules = run(log).tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(index.rules.map((r) => r.id));
    for (const rule of rules) {
      const entry = index.rules.find((e) => e.id === rule.id)!;
      expect(rule.shortDescription.text).toBe(entry.title);
      expect(rule.fullDescription.text).toBe(entry.rationale);
      expect(rule.name).toBe(ruleName(rule.id));
      expect(rule.defaultConfiguration.level).toBe(SARIF_LEVEL[entry.severity]);
      expect(rule.properties['security-severity']).toBe(SECURITY_SEVERITY[entry.severity]);
      expect(rule.properties.tags.slice(0, 2)).toEqual(['security', 'encryption-at-rest']);
      expect(rule.properties.tags.slice(2)).toEqual(entry.compliance.map((c) => `${c.framework}/${c.control}`));
      if (entry.remediation) expect(rule.help.text).toContain(entry.remediation);
    }
    expect(SECURITY_SEVERITY).toEqual({ critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' });
    const pending = rules.find((r) => r.id === 'KMS.PENDING_DELETION')!;
    expect(pending.properties.tags).toContain('aws-securityhub-fsbp/KMS.3');
    expect(pending.help.markdown).toContain('[AWS KMS keys should not be deleted unintentionally](https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-3)');
    expect(ruleName('S3.ENCRYPTION_LEVEL')).toBe('S3EncryptionLevel');
    expect(ruleName('KMS.DISABLED_KEY_IN_USE')).toBe('KmsDisabledKeyInUse');
    // ruleIndex is the rule's position: the same in every report of this version.
    for (const r of run(log).results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it("gives rules the severity of the report's policy, and marks rules the policy turned off", () => {
    const rules = run(buildSarif(acme(), index)).tool.driver.rules;
    // acme.policy.yaml: S3.SSE_C_BLOCKED high, S3.BUCKET_KEY info.
    expect(rules.find((r) => r.id === 'S3.SSE_C_BLOCKED')).toMatchObject({ defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '8.0', severity: 'high' } });
    expect(rules.find((r) => r.id === 'S3.BUCKET_KEY')).toMatchObject({ defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '1.0', severity: 'info' } });
    const off = run(buildSarif(demo({ ...BASELINE_POLICY, disabledRules: ['S3.BUCKET_KEY'] }), index)).tool.driver.rules;
    expect(off.find((r) => r.id === 'S3.BUCKET_KEY')!.defaultConfiguration.enabled).toBe(false);
    expect(off.find((r) => r.id === 'S3.ENCRYPTION_LEVEL')!.defaultConfiguration.enabled).toBeUndefined();
  });

  it('a rule id the index does not know still gets a descriptor, so every result has its rule', () => {
    const report = demo();
    const f = report.findings.find((x) => x.status === 'fail')!;
    report.findings = [{ ...f, ruleId: 'CUSTOM.FROM_ANOTHER_VERSION', title: 'a rule of another version' }, ...report.findings];
    const log = buildSarif(report, index);
    expect(sarifProblems(log)).toEqual([]);
    const rule = run(log).tool.driver.rules.find((r) => r.id === 'CUSTOM.FROM_ANOTHER_VERSION')!;
    expect(rule.shortDescription.text).toBe('a rule of another version');
    expect(run(log).tool.driver.rules).toHaveLength(index.rules.length + 1);
  });

  it('an active waiver is an accepted external suppression with its reason; an expired one suppresses nothing', () => {
    const report = acme();
    const results = run(buildSarif(report, index)).results;
    const suppressed = report.findings.filter((f) => f.status === 'suppressed');
    expect(suppressed.length).toBeGreaterThan(0);
    for (const f of suppressed) {
      const r = results.find((x) => x.ruleId === f.ruleId && x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === f.resourceArn)!;
      const w = f.waiver!;
      expect(r.suppressions).toEqual([
        {
          kind: 'external',
          status: 'accepted',
          justification: w.reason,
          properties: { owner: w.owner, expires: w.expires, rule: w.rule, resource: w.resource, source: w.source },
        },
      ]);
      // fixtures/policy/acme.policy.yaml: the `*` waiver on legacy-* buckets, and the SCAN.INCOMPLETE one on the bucket the audit role may not read.
      expect(w.source).toMatch(w.rule === '*' ? /acme\.policy\.yaml:32:5$/ : /acme\.policy\.yaml:38:5$/);
    }
    const expired = report.findings.find((f) => f.waiver?.status === 'expired')!;
    expect(expired).toMatchObject({ ruleId: 'S3.SSE_C_BLOCKED', resourceArn: 'arn:aws:s3:::acme-scratch', status: 'fail' });
    const r = results.find((x) => x.ruleId === expired.ruleId && x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === expired.resourceArn)!;
    expect(r.suppressions).toBeUndefined();
    expect(r.level).toBe('error');
    expect(r.message.text).toContain('Waiver expired 2026-10-31 (owner data-team@example.com): scratch bucket, SSE-C allowed until the uploader is replaced');
    expect(r.properties.waiver).toMatchObject({ status: 'expired' });
    // Only suppressed findings carry suppressions.
    expect(results.filter((x) => x.suppressions).length).toBe(suppressed.length);
  });

  it('locates each result at its resource: the ARN as a logical location, and as a relative path GitHub accepts', () => {
    expect(resourcePath('arn:aws:s3:::acme-logs')).toBe('arn/aws/s3/_/_/acme-logs');
    expect(resourcePath('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab')).toBe('arn/aws/kms/us-east-1/111122223333/key/1234abcd-12ab');
    expect(resourcePath('arn:aws:lambda:us-east-1:111122223333:function:checkout-api')).toBe('arn/aws/lambda/us-east-1/111122223333/function/checkout-api');
    expect(resourcePath('arn:aws:lambda:us-east-1:111122223333:*')).toBe('arn/aws/lambda/us-east-1/111122223333/*');
    expect(resourcePath('arn:aws:s3:::name with space#?%')).toBe('arn/aws/s3/_/_/name%20with%20space%23%3F%25');
    const report = demo();
    const results = run(buildSarif(report, index)).results;
    const byUri = new Map<string, string>();
    for (const r of results) {
      const loc = r.locations[0]!;
      expect(loc.logicalLocations).toEqual([{ name: expect.any(String), fullyQualifiedName: expect.stringMatching(/^arn:aws:/), kind: 'resource' }]);
      const arn = loc.logicalLocations[0]!.fullyQualifiedName;
      expect(loc.physicalLocation.artifactLocation.uri).toBe(resourcePath(arn));
      // Different resources never share a path.
      expect(byUri.get(loc.physicalLocation.artifactLocation.uri) ?? arn).toBe(arn);
      byUri.set(loc.physicalLocation.artifactLocation.uri, arn);
    }
    expect(results.find((r) => r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === 'arn:aws:dynamodb:us-east-1:111122223333:table/payments')!.locations[0]!.logicalLocations[0]!.name).toBe('table/payments');
  });

  it('fingerprints are stable across runs, depend only on rule and resource, and are unique', () => {
    const report = demo();
    const first = run(buildSarif(report, index)).results;
    const fp = (r: (typeof first)[number]) => r.partialFingerprints[FINGERPRINT_KEY]!;
    expect(new Set(first.map(fp)).size).toBe(first.length);
    for (const r of first) expect(fp(r)).toMatch(/^[0-9a-f]{64}:1$/);
    // Another scan of the same account where half the findings are gone: the rest keep their fingerprints.
    const fewer = { ...report, findings: report.findings.filter((_f, i) => i % 2 === 1) };
    const again = run(buildSarif(fewer, index)).results;
    expect(again.length).toBeGreaterThan(0);
    const before = new Map(first.map((r) => [`${r.ruleId} ${r.locations[0]!.logicalLocations[0]!.fullyQualifiedName}`, fp(r)]));
    for (const r of again) expect(fp(r)).toBe(before.get(`${r.ruleId} ${r.locations[0]!.logicalLocations[0]!.fullyQualifiedName}`));
    // A changed message (a new error text, another severity) does not change the fingerprint.
    const reworded = { ...report, findings: report.findings.map((f) => ({ ...f, message: `${f.message} (reworded)`, severity: 'low' as const })) };
    expect(run(buildSarif(reworded, index)).results.map(fp)).toEqual(first.map(fp));
    // Two findings of one rule on one resource (two failed List calls in one region) are told apart by occurrence.
    const f = report.findings.find((x) => x.status === 'unknown')!;
    const twice = { ...report, findings: [f, { ...f, message: `${f.message} (second call)` }] };
    const pair = run(buildSarif(twice, index)).results.map(fp);
    expect(pair[0]!.replace(/:1$/, ':2')).toBe(pair[1]);
  });

  it('is deterministic: the same input gives byte-identical SARIF, whatever order the inventory lists things in', () => {
    const a = renderSarif(demo(), index);
    const b = renderSarif(demo(), index);
    expect(b).toBe(a);
    const shuffled = demoInventory();
    shuffled.resources.reverse();
    shuffled.keys.reverse();
    expect(renderSarif(evaluate(shuffled, BASELINE_POLICY, { failOn: 'high' }), index)).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
  });

  it('records the run: tool, exit code and its reason, scan times, account and policy', () => {
    const report = demo();
    const r = run(buildSarif(report, index));
    expect(r.tool.driver).toMatchObject({ name: 'atrest', version: report.tool.version });
    expect(r.invocations).toEqual([
      { executionSuccessful: true, exitCode: report.outcome.exitCode, exitCodeDescription: report.outcome.reason, startTimeUtc: '2026-11-28T09:00:00.000Z', endTimeUtc: '2026-11-28T09:04:12.000Z' },
    ]);
    expect(r.properties).toMatchObject({ accountId: '111122223333', policy: 'baseline', failOn: 'high', regions: ['eu-west-1', 'us-east-1'] });
    // No automationDetails: it would override the category input of github/codeql-action/upload-sarif (docs/ci.md).
    expect(r).not.toHaveProperty('automationDetails');
  });
});
