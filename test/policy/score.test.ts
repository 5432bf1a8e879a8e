import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import type { Finding, Scores } from '../../src/model/report.js';
import { evaluate } from '../../src/engine/engine.js';
import { computeScores, grade } from '../../src/engine/score.js';
import { bucket, inventory, key, policy } from '../helpers/inventory.js';
// The seeded PRNG (mulberry32) the fake AWS uses, so the property tests replay exactly.
import { rng } from '../../bench/fake-aws/org.mjs';


const appKey = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
const LEVELS: ProtectionLevel[] = ['none', 'aws-owned', 'aws-managed', 'customer-managed', 'unknown'];

function randomInventory(random: () => number, n: number) {
  const resources: Resource[] = [];
  for (let i = 0; i < n; i += 1) {
    const level = LEVELS[Math.floor(random() * LEVELS.length)]!;
    resources.push(
      bucket(`b-${i}`, {
        level,
        ...(level === 'aws-managed' || level === 'customer-managed' ? { key: appKey } : {}),
        // In this order: the generator replays the same sequence.
        attributes: { sseCBlocked: random() < 0.5, bucketKeyEnabled: random() < 0.5 },
        tags: random() < 0.3 ? { 'data-classification': 'restricted' } : {},
      }),
    );
  }
  return inventory({ resources, keys: [appKey] });
}

const randomPolicy = (random: () => number) =>
  policy({
    minimumLevel: { default: 'aws-owned', s3: random() < 0.5 ? 'aws-owned' : 'customer-managed' },
    tagOverrides: [{ name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' }],
    ...(random() < 0.5 ? { allowedKeys: { s3: ['alias/app-data'] } } : {}),
    severity: random() < 0.5 ? { 'S3.SSE_C_BLOCKED': 'critical' } : {},
  });

function allScores(s: Scores): number[] {
  return [s.account.score, ...Object.values(s.byService).map((g) => g.score), ...s.resources.map((r) => r.score)];
}

function assertNotLower(before: Scores, after: Scores): void {
  expect(after.account.score).toBeGreaterThanOrEqual(before.account.score);
  for (const [service, g] of Object.entries(before.byService)) expect(after.byService[service]!.score).toBeGreaterThanOrEqual(g.score);
  const afterByArn = new Map(after.resources.map((r) => [r.resourceArn, r.score]));
  for (const r of before.resources) expect(afterByArn.get(r.resourceArn)).toBeGreaterThanOrEqual(r.score);
}

describe('scores', () => {
  it('follow the documented formula (docs/scoring.md)', () => {
    const unencrypted = bucket('plain', { level: 'none', attributes: { sseCBlocked: true } });
    const report = evaluate(inventory({ resources: [unencrypted] }), policy({ minimumLevel: { default: 'aws-owned', s3: 'customer-managed' } }), { failOn: 'high' });
    // S3.ENCRYPTION_LEVEL fails high (40) and the level is 3 steps below customer-managed (3 × 10).
    expect(report.scores!.resources).toEqual([{ resourceArn: unencrypted.arn, service: 's3', resourceType: 'bucket', score: 30, grade: 'F' }]);
    expect(report.scores!.byService.s3).toEqual({ score: 30, grade: 'F', resources: 1 });
    expect(report.scores!.formula).toBe('1');
  });

  it('cap a service and the account: critical → at most 59, high → 79, unknown → 89', () => {
    const good = Array.from({ length: 20 }, (_, i) => bucket(`good-${i}`, { level: 'aws-owned' }));
    const critical = evaluate(inventory({ resources: [...good, bucket('c', { level: 'aws-owned', attributes: { sseCBlocked: false } })] }), policy({ severity: { 'S3.SSE_C_BLOCKED': 'critical' } }), { failOn: 'high' });
    expect(critical.scores!.account).toEqual({ score: 59, grade: 'F', resources: 21, cap: 'at most 59: a critical finding fails' });
    const high = evaluate(inventory({ resources: [...good, bucket('h', { level: 'none' })] }), policy(), { failOn: 'high' });
    expect(high.scores!.byService.s3).toMatchObject({ score: 79, grade: 'C', cap: 'at most 79: a high-severity finding fails' });
    const unknown = evaluate(inventory({ resources: [...good, bucket('u', { level: 'unknown' })] }), policy(), { failOn: 'high' });
    expect(unknown.scores!.account).toMatchObject({ score: 89, grade: 'B' });
    const clean = evaluate(inventory({ resources: good }), policy(), { failOn: 'high' });
    expect(clean.scores!.account).toEqual({ score: 100, grade: 'A', resources: 20 });
  });

  it('grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, F below', () => {
    expect([100, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(grade)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'F', 'F']);
  });

  it('are deterministic: the same inventory and policy give the same scores, whatever the input order', () => {
    const random = rng(42);
    for (let round = 0; round < 20; round += 1) {
      const inv = randomInventory(random, 12);
      const p = randomPolicy(random);
      const a = evaluate(inv, p, { failOn: 'high' });
      const b = evaluate(structuredClone(inv), structuredClone(p), { failOn: 'high' });
      expect(JSON.stringify(b.scores)).toBe(JSON.stringify(a.scores));
      const shuffled = { ...inv, resources: [...inv.resources].reverse() };
      expect(evaluate(shuffled, p, { failOn: 'high' }).scores).toEqual(a.scores);
      expect(computeScores([...a.resources].reverse(), [...a.findings].reverse())).toEqual(a.scores);
    }
  });

  it('are monotone: turning any failing or unknown finding into a pass never lowers any score', () => {
    const random = rng(7);
    let checked = 0;
    for (let round = 0; round < 25; round += 1) {
      const report = evaluate(randomInventory(random, 8), randomPolicy(random), { failOn: 'high' });
      const before = computeScores(report.resources, report.findings);
      report.findings.forEach((finding, i) => {
        if (finding.status !== 'fail' && finding.status !== 'unknown') return;
        for (const fixed of ['pass', 'not-applicable', 'suppressed'] as const) {
          const findings: Finding[] = report.findings.map((f, j) => (j === i ? { ...f, status: fixed } : f));
          assertNotLower(before, computeScores(report.resources, findings));
          checked += 1;
        }
      });
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('are monotone when the fix is made in the account: raising a level or blocking SSE-C', () => {
    const random = rng(99);
    for (let round = 0; round < 15; round += 1) {
      const inv = randomInventory(random, 8);
      const p = randomPolicy(random);
      const before = evaluate(inv, p, { failOn: 'high' }).scores!;
      for (let i = 0; i < inv.resources.length; i += 1) {
        const fixedLevel = structuredClone(inv);
        const was = inv.resources[i]!;
        // Only fixes, no new problem: the bucket key is on, the key is healthy and allowed, and a
        // bucket that was unreadable (so never judged on SSE-C) comes back with SSE-C blocked.
        const sseCBlocked = was.protection.level === 'unknown' ? true : was.attributes.sseCBlocked === true;
        fixedLevel.resources[i] = bucket(`b-${i}`, { level: 'customer-managed', key: appKey, ...(was.tags ? { tags: was.tags } : {}), attributes: { sseCBlocked, bucketKeyEnabled: true } });
        assertNotLower(before, evaluate(fixedLevel, p, { failOn: 'high' }).scores!);
        const blocked = structuredClone(inv);
        blocked.resources[i]!.attributes.sseCBlocked = true;
        if (blocked.resources[i]!.protection.level !== 'unknown') assertNotLower(before, evaluate(blocked, p, { failOn: 'high' }).scores!);
      }
    }
  });

  it('stay within 0–100', () => {
    const random = rng(3);
    for (let round = 0; round < 10; round += 1) {
      const scores = evaluate(randomInventory(random, 10), randomPolicy(random), { failOn: 'high' }).scores!;
      for (const s of allScores(scores)) {
        expect(Number.isInteger(s)).toBe(true);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100);
      }
    }
  });
});
