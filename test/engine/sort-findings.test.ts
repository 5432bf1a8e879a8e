import { describe, expect, it } from 'vitest';
import { sortFindings } from '../../src/engine/engine.js';
import type { Finding } from '../../src/model/report.js';
import { FINDING_STATUSES, SEVERITIES, severityRank, statusRank } from '../../src/model/severity.js';
import { sortBy } from '../../src/util/sort.js';

// sortFindings ranks and counts instead of comparing findings; it must give
// exactly the order of the plain definition: status, severity, rule id,
// resource ARN, message, then the input order.
const definition = (findings: Finding[]) => sortBy(findings, (f) => [statusRank(f.status), severityRank(f.severity), f.ruleId, f.resourceArn, f.message]);

function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function findings(count: number, seed: number): Finding[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const rules = ['S3.ENCRYPTION_LEVEL', 'KMS.KEY_STATE', 'KMS.ALLOWED_KEYS', 'EBS.VOLUME_ENCRYPTION', 'SCAN.INCOMPLETE', 'S3.ENCRYPTION_LEVEL_B'];
  // ARNs that share prefixes, sort before and after each other by one code unit, and repeat out of sequence.
  const arns = ['arn:aws:s3:::b', 'arn:aws:s3:::a', 'arn:aws:s3:::a-1', 'arn:aws:s3:::A', 'arn:aws:s3:::ä', 'arn:aws:kms:eu-west-1:111122223333:key/1', 'arn:aws:ec2:us-east-1:111122223333:volume/vol-1', 'arn:aws:s3:::\uD83D\uDD11'];
  const out: Finding[] = [];
  while (out.length < count) {
    // A resource's findings one after another, as the engine produces them; sometimes an ARN seen before.
    const arn = pick(arns);
    for (let k = Math.floor(r() * 4); k >= 0; k -= 1) {
      out.push({
        ruleId: pick(rules),
        resourceArn: arn,
        service: 's3',
        resourceType: 'bucket',
        region: 'us-east-1',
        status: pick(FINDING_STATUSES),
        severity: pick(SEVERITIES),
        title: 't',
        message: pick(['m', 'a', 'z', 'm ']),
        remediation: null,
        compliance: [],
        // Tells equal findings apart, so the test sees whether the input order is kept.
        region2: String(out.length),
      } as Finding);
    }
  }
  return out;
}

describe('sortFindings', () => {
  it('orders exactly as status, severity, rule id, ARN, message, then input order', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const list = findings(2000, seed);
      expect(sortFindings(list)).toEqual(definition(list));
    }
  });

  it('handles nothing, one finding, and input in any order', () => {
    expect(sortFindings([])).toEqual([]);
    const list = findings(300, 7);
    expect(sortFindings(list.slice(0, 1))).toEqual(list.slice(0, 1));
    expect(sortFindings([...list].reverse())).toEqual(definition([...list].reverse()));
    expect(sortFindings(definition(list))).toEqual(definition(list));
  });
});
