import { MATRIX } from '../../src/services/list.js';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/engine/catalog.js';
import { COMPLIANCE, mappingsFor } from '../../src/compliance/by-rule.js';
import { CONTROLS, FRAMEWORKS, frameworkByName, type FrameworkId } from '../../src/compliance/frameworks.js';
import { attachedVolume } from '../../src/engine/compliance-report.js';
import { evaluate } from '../../src/engine/engine.js';
import { levelRule } from '../../src/rules/level-rule.js';
import { SCAN_INCOMPLETE } from '../../src/rules/scan-coverage.js';
import { validator } from '../../src/schema.js';
import { bucket, inventory, key, keyResource, policy, resource } from '../helpers/inventory.js';

describe('the compliance data file', () => {
  it('is the one source: an entry for every rule of the catalog and the coverage rule, and for nothing else', () => {
    const ids = [...RULES.map((r) => r.id), SCAN_INCOMPLETE.id];
    expect(ids.filter((id) => !COMPLIANCE[id])).toEqual([]);
    // An entry whose rule was renamed or removed would map controls no finding can ever evidence.
    expect(Object.keys(COMPLIANCE).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('every entry either maps controls or says why it maps none', () => {
    for (const [ruleId, entry] of Object.entries(COMPLIANCE)) {
      expect(entry.mappings.length > 0 || Boolean(entry.none) || (entry.notMapped?.length ?? 0) > 0, ruleId).toBe(true);
    }
  });

  it('maps only controls it describes (title and source), and describes only controls it maps', () => {
    const mapped = new Set<string>();
    for (const entry of Object.values(COMPLIANCE)) {
      for (const m of entry.mappings) {
        expect(CONTROLS[m.framework][m.control], `${m.framework} ${m.control}`).toBeDefined();
        mapped.add(`${m.framework} ${m.control}`);
      }
    }
    for (const [fw, controls] of Object.entries(CONTROLS)) {
      for (const [control, info] of Object.entries(controls)) {
        expect(mapped.has(`${fw} ${control}`), `${fw} ${control} is described but not mapped`).toBe(true);
        expect(info.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      }
    }
  });

  it('uses each framework\'s own numbering', () => {
    for (const control of Object.keys(CONTROLS['aws-securityhub-fsbp'])) expect(control).toMatch(/^[A-Za-z0-9]+\.\d+$/);
    for (const control of Object.keys(CONTROLS['aws-securityhub'])) expect(control).toMatch(/^[A-Za-z0-9]+\.\d+$/);
    for (const fw of ['cis-aws-3.0', 'cis-aws-5.0'] as const) for (const control of Object.keys(CONTROLS[fw])) expect(control).toMatch(/^\d+(\.\d+){1,2}$/);
    for (const control of Object.keys(CONTROLS['aws-config'])) expect(control).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    // The items the issue names, at the numbers the frameworks give them.
    expect(COMPLIANCE['EBS.DEFAULT_ENCRYPTION']!.mappings).toEqual(
      expect.arrayContaining([
        { framework: 'aws-securityhub-fsbp', control: 'EC2.7' },
        { framework: 'cis-aws-3.0', control: '2.2.1' },
        { framework: 'cis-aws-5.0', control: '5.1.1' },
        { framework: 'aws-config', control: 'ec2-ebs-encryption-by-default' },
      ]),
    );
    const rds = COMPLIANCE['RDS.INSTANCE_ENCRYPTION']!.mappings.map((m) => `${m.framework} ${m.control}`);
    expect(rds).toEqual(['aws-securityhub-fsbp RDS.3', 'cis-aws-3.0 2.3.1', 'cis-aws-5.0 2.2.1', 'aws-config rds-storage-encrypted']);
    const rotation = COMPLIANCE['KMS.ROTATION']!.mappings.map((m) => `${m.framework} ${m.control}`);
    expect(rotation).toEqual(['aws-securityhub KMS.4', 'cis-aws-3.0 3.6', 'cis-aws-5.0 3.6', 'aws-config cmk-backing-key-rotation-enabled']);
  });

  it('the CLI names resolve to frameworks', () => {
    expect(frameworkByName('cis-5.0')?.id).toBe('cis-aws-5.0');
    expect(frameworkByName('cis-3.0')?.id).toBe('cis-aws-3.0');
    expect(frameworkByName('aws-securityhub-fsbp')?.id).toBe('aws-securityhub-fsbp');
    expect(frameworkByName('aws-config')?.id).toBe('aws-config');
    expect(frameworkByName('pci')).toBeUndefined();
    expect(Object.keys(FRAMEWORKS).sort()).toEqual(['aws-config', 'aws-securityhub', 'aws-securityhub-fsbp', 'cis-aws-3.0', 'cis-aws-5.0']);
  });
});

describe('findings take their compliance from the data file', () => {
  it('takes each finding\'s controls from the data file by rule id; a rule id the file does not know maps none', () => {
    const b = bucket('b', { level: 'aws-owned' });
    const unmapped = levelRule({ id: 'X.UNMAPPED', matrix: MATRIX.s3, types: ['bucket'], title: 't' });
    const mapped = levelRule({ id: 'S3.ENCRYPTION_LEVEL', matrix: MATRIX.s3, types: ['bucket'], title: 't' });
    const findings = evaluate(inventory({ resources: [b] }), policy(), { failOn: 'high', rules: [unmapped, mapped] }).findings;
    expect(findings.find((f) => f.ruleId === 'X.UNMAPPED')!.compliance).toEqual([]);
    expect(findings.find((f) => f.ruleId === 'S3.ENCRYPTION_LEVEL')!.compliance).toEqual([
      { framework: 'aws-securityhub', control: 'S3.17', status: 'fail' },
      { framework: 'aws-config', control: 's3-default-encryption-kms', status: 'fail' },
    ]);
    expect(mappingsFor('X.UNMAPPED')).toEqual([]);
  });

  it('a control is judged by its own pass condition, not the policy: S3.17 fails SSE-S3 where the baseline passes it', () => {
    const sseS3 = bucket('sse-s3', { level: 'aws-owned' });
    const awsManaged = bucket('sse-kms', { level: 'aws-managed', key: key('0000aaaa-00aa-11bb-22cc-000000000000', { manager: 'AWS', aliases: ['alias/aws/s3'] }) });
    const report = evaluate(inventory({ resources: [sseS3, awsManaged] }), policy(), { failOn: 'high', compliance: 'aws-securityhub' });
    const level = report.findings.find((f) => f.ruleId === 'S3.ENCRYPTION_LEVEL' && f.resourceArn === sseS3.arn)!;
    expect(level.status).toBe('pass');
    expect(level.compliance).toEqual([
      { framework: 'aws-securityhub', control: 'S3.17', status: 'fail' },
      { framework: 'aws-config', control: 's3-default-encryption-kms', status: 'fail' },
    ]);
    const s317 = report.compliance!.controls.find((c) => c.control === 'S3.17')!;
    expect(s317).toMatchObject({ status: 'fail', failing: [sseS3.arn], resources: { pass: 1, fail: 1 } });
    // Under a strict policy the rule fails an AWS managed key, but S3.17 passes it.
    const strict = evaluate(inventory({ resources: [awsManaged] }), policy({ minimumLevel: { default: 'aws-owned', s3: 'customer-managed' } }), { failOn: 'high' });
    const f = strict.findings.find((x) => x.ruleId === 'S3.ENCRYPTION_LEVEL')!;
    expect(f.status).toBe('fail');
    expect(f.compliance[0]).toEqual({ framework: 'aws-securityhub', control: 'S3.17', status: 'pass' });
  });

  it('KMS.4 and CIS 3.6 need rotation on, not the policy\'s maximum period', () => {
    const slow = key('aaaa1111-11aa-22bb-33cc-444444444444', { rotation: { applicable: true, reason: 'symmetric', enabled: true, periodDays: 730 } });
    const off = key('bbbb1111-11aa-22bb-33cc-444444444444', { rotation: { applicable: true, reason: 'symmetric', enabled: false, periodDays: null } });
    const imported = key('cccc1111-11aa-22bb-33cc-444444444444', { origin: 'EXTERNAL' });
    const report = evaluate(inventory({ resources: [keyResource(slow), keyResource(off), keyResource(imported)], keys: [slow, off, imported] }), policy(), { failOn: 'high', compliance: 'cis-aws-5.0' });
    const bySlow = report.findings.find((x) => x.resourceArn === slow.arn)!;
    expect(bySlow.status).toBe('fail'); // 730 > 365 days
    expect(bySlow.compliance.find((c) => c.framework === 'cis-aws-5.0')).toEqual({ framework: 'cis-aws-5.0', control: '3.6', status: 'pass' });
    const cis36 = report.compliance!.controls.find((c) => c.control === '3.6')!;
    expect(cis36).toMatchObject({ status: 'fail', failing: [off.arn], resources: { pass: 1, fail: 1, 'not-applicable': 1 } });
  });

  it('EC2.3 looks only at attached volumes (and says unknown when the inventory does not tell)', () => {
    const attached = resource('ebs', 'volume', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1', { level: 'none', evidence: { State: 'in-use' } });
    const detached = resource('ebs', 'volume', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-2', { level: 'none', attributes: { attached: false } });
    const silent = resource('ebs', 'volume', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-3', { level: 'none' });
    expect([attached, detached, silent].map(attachedVolume)).toEqual([true, false, undefined]);
    const rule = levelRule({ id: 'EBS.VOLUME_ENCRYPTION', matrix: MATRIX.ebs, types: ['volume'], title: 'volume' });
    const report = evaluate(inventory({ resources: [attached, detached, silent] }), policy(), { failOn: 'high', rules: [rule], compliance: 'aws-securityhub-fsbp' });
    const ec23 = report.compliance!.controls.find((c) => c.control === 'EC2.3')!;
    expect(ec23).toMatchObject({ status: 'fail', failing: [attached.arn, silent.arn], resources: { fail: 1, unknown: 1, 'not-applicable': 1 } });
  });
});

describe('--compliance limits the report and adds a per-control summary', () => {
  const sseS3 = bucket('sse-s3', { level: 'aws-owned', attributes: { sseCBlocked: false, bucketKeyEnabled: false } });
  const rotationOff = key('aaaa1111-11aa-22bb-33cc-444444444444', { rotation: { applicable: true, reason: 'symmetric', enabled: false, periodDays: null } });
  const errors = [
    { service: 'kms' as const, region: 'eu-west-1', operation: 'ListKeys', code: 'AccessDenied', message: 'denied' },
    { service: 'lambda' as const, region: 'eu-west-1', operation: 'ListFunctions', code: 'AccessDenied', message: 'denied' },
  ];
  const inv = inventory({ resources: [sseS3, keyResource(rotationOff)], keys: [rotationOff], errors });

  function limited(framework: FrameworkId) {
    return evaluate(inv, policy(), { failOn: 'high', compliance: framework });
  }

  it('keeps only the findings of mapped rules (and what could not be read for those services)', () => {
    const report = limited('cis-aws-5.0');
    expect(report.findings.map((f) => `${f.ruleId} ${f.status}`).sort()).toEqual(['KMS.ROTATION fail', 'SCAN.INCOMPLETE unknown']);
    expect(report.summary.byStatus.fail).toBe(1);
    const full = evaluate(inv, policy(), { failOn: 'high' });
    expect(full.findings.some((f) => f.ruleId === 'S3.SSE_C_BLOCKED')).toBe(true);
    expect(full.compliance).toBeUndefined();
  });

  it('summarises every control of the framework, worst result first per resource', () => {
    const summary = limited('cis-aws-5.0').compliance!;
    expect(summary.framework).toBe('cis-aws-5.0');
    // Every service is scanned in this inventory, but only KMS holds a resource a CIS control looks at: every
    // other control (RDS 2.2.1, EBS 5.1.1, …) has nothing to evidence. In the framework's order (numeric parts as numbers).
    const cis = Object.keys(CONTROLS['cis-aws-5.0']).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(cis).toEqual(expect.arrayContaining(['2.2.1', '3.6', '5.1.1']));
    expect(summary.controls.map((c) => [c.control, c.status])).toEqual(cis.map((control) => [control, control === '3.6' ? 'fail' : 'not-applicable']));
    const rotation = summary.controls.find((c) => c.control === '3.6')!;
    // One key fails; the unread KMS region makes one more entry unknown.
    expect(rotation.resources).toMatchObject({ fail: 1, unknown: 1 });
    expect(rotation.failing).toEqual(['arn:aws:kms:eu-west-1:111122223333:*', rotationOff.arn]);
    expect(summary.totals).toMatchObject({ fail: 1, 'not-applicable': cis.length - 1, 'not-evaluated': 0, pass: 0 });
  });

  it('AWS Security Hub (all controls) includes the FSBP ones; AWS Config lists its rule names', () => {
    const sh = limited('aws-securityhub').compliance!;
    expect(sh.controls.map((c) => c.control)).toEqual(expect.arrayContaining(['S3.17', 'KMS.4', 'EC2.3', 'EC2.7', 'KMS.3']));
    const fsbp = limited('aws-securityhub-fsbp').compliance!;
    expect(fsbp.controls.map((c) => c.control)).not.toContain('S3.17');
    const config = limited('aws-config').compliance!;
    expect(config.controls.find((c) => c.control === 's3-default-encryption-kms')).toMatchObject({ status: 'fail', failing: [sseS3.arn] });
    expect(config.notEvidenced.map((n) => n.control)).toContain('s3-bucket-server-side-encryption-enabled');
  });

  it('a control whose rules the policy turned off is not-evaluated, with the reason', () => {
    const report = evaluate(inv, policy({ disabledRules: ['KMS.ROTATION'] }), { failOn: 'high', compliance: 'cis-aws-3.0' });
    const c = report.compliance!.controls.find((x) => x.control === '3.6')!;
    expect(c.status).toBe('unknown'); // the unread KMS region still counts
    const clean = evaluate(inventory({ resources: [keyResource(rotationOff)], keys: [rotationOff] }), policy({ disabledRules: ['KMS.ROTATION'] }), { failOn: 'high', compliance: 'cis-aws-3.0' });
    expect(clean.compliance!.controls.find((x) => x.control === '3.6')).toMatchObject({ status: 'not-evaluated', note: 'KMS.ROTATION turned off by the policy' });
  });

  it('every limited report is valid against the published schema', () => {
    const validate = validator('report.schema.json');
    for (const fw of Object.keys(FRAMEWORKS) as FrameworkId[]) {
      const ok = validate(JSON.parse(JSON.stringify(limited(fw))));
      expect(validate.errors ?? [], fw).toEqual([]);
      expect(ok).toBe(true);
    }
  });
});
