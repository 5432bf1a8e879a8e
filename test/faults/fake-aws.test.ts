import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, orgCounts } from '../../bench/fake-aws/org.mjs';
import { fakeCredentials, startFakeAws, type FakeAws, type FakeFaults } from '../../bench/fake-aws/server.mjs';
import { CallBudget } from '../../src/aws/call-budget.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { collect } from '../../src/collect/collect.js';
import type { Inventory, Resource } from '../../src/model/inventory.js';
import type { ServiceName } from '../../src/model/services.js';

/**
 * Faults on the real client stack: the real SDK clients, atrest's gates,
 * retry strategy, timeouts and later passes, against the fake AWS of the
 * benchmarks (bench/fake-aws: every protocol atrest speaks, on loopback),
 * with a small organisation (one account, two Regions). Each scenario ends
 * with every resource judged — the same as in a clean scan — or `unknown`
 * with the reason, counted; and with exactly the failed calls as scan errors.
 */

const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1'];
const SERVICES: ServiceName[] = ['aurora', 'dynamodb', 'ebs', 'efs', 'kms', 'lambda', 'rds', 'redshift', 's3'];
const org = buildOrg({
  accounts: [ACCOUNT],
  regions: REGIONS,
  totals: { buckets: 24, volumes: 16, snapshots: 16, dbInstances: 6, dbSnapshots: 6, tables: 12, functions: 12, clusters: 4, keys: 8 },
  seed: 7,
});
const unit = (region: string) => org.accounts.get(ACCOUNT)!.regions.get(region)!;
const totals = orgCounts(org);
/** Every resource the checks report: the org's, plus one EBS-encryption-by-default setting per Region. */
const EXPECTED =
  totals.buckets + totals.volumes + totals.snapshots + REGIONS.length + totals.dbInstances + totals.dbSnapshots + totals.tables + totals.functions + totals.clusters + totals.customerKeys + totals.awsManagedKeys;

let fake: FakeAws;
let clean: Map<string, string>;

beforeAll(async () => {
  fake = await startFakeAws({ org, latencyMs: 2 });
  const { inventory } = await scan();
  clean = judgements(inventory);
});
afterAll(() => fake.close());

interface ScanOptions {
  faults?: FakeFaults;
  concurrency?: number;
  maxInFlight?: number;
  requestTimeoutMs?: number;
}

async function scan(options: ScanOptions = {}): Promise<{ inventory: Inventory; budget: CallBudget; ms: number }> {
  fake.reset();
  fake.setFaults(options.faults);
  // Later passes and back-off shortened for the test's sake; the schedule (how many attempts, when) is the real one.
  const budget = new CallBudget({ maxInFlight: options.maxInFlight ?? 64, laterPassDelaysMs: [300, 600], backoffScale: 0.1 });
  budget.start();
  const clients = new ClientFactory({
    endpointUrl: fake.endpoint,
    credentials: fakeCredentials(ACCOUNT),
    concurrency: options.concurrency ?? 4,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    budget,
  });
  const started = Date.now();
  try {
    const { inventory } = await collect({ clients, accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:user/bench`, partition: 'aws', regions: REGIONS, services: SERVICES, concurrency: options.concurrency ?? 4, log: () => {} });
    return { inventory, budget, ms: Date.now() - started };
  } finally {
    clients.destroy();
    budget.dispose();
  }
}

/** resource ARN → "level keyArn": what the scan decided for each. */
function judgements(inventory: Inventory): Map<string, string> {
  return new Map(inventory.resources.map((r) => [r.arn, `${r.protection.level} ${r.protection.keyArn ?? '-'}`]));
}

function unknowns(inventory: Inventory): Resource[] {
  return inventory.resources.filter((r) => r.protection.level === 'unknown');
}

/** The resources whose judgement differs from the clean scan's. */
function changed(inventory: Inventory): string[] {
  const now = judgements(inventory);
  return [...clean.keys()].filter((arn) => now.get(arn) !== clean.get(arn));
}

describe('the fake AWS, clean', () => {
  it('every resource of the organisation is judged, with no error and no unknown', () => {
    expect(clean.size).toBe(EXPECTED);
    expect([...clean.values()].filter((v) => v.startsWith('unknown'))).toEqual([]);
  });

  it('at most --concurrency calls were in flight per account, service and Region, and at most the overall ceiling in all', async () => {
    await scan({ concurrency: 2, maxInFlight: 5 });
    const { perUnit, overall } = fake.peaks();
    expect(Math.max(...Object.values(perUnit))).toBeLessThanOrEqual(2);
    expect(overall).toBeLessThanOrEqual(5);
  });

  it('no snapshot of another account is sent: DescribeSnapshots asks OwnerIds=self and an owner-id filter (the fake, like an emulator, ignores OwnerIds)', async () => {
    const { inventory } = await scan();
    expect(fake.foreignSnapshotsSent()).toBe(0);
    expect(inventory.resources.filter((r) => r.type === 'snapshot' && r.service === 'ebs')).toHaveLength(totals.snapshots);
  });
});

describe('faults on the real client stack', () => {
  it('a throttling storm (30 % of calls): every resource judged as in the clean scan, nothing lost', async () => {
    const { inventory, budget } = await scan({ faults: { throttleRate: 0.3, seed: 11 } });
    expect(fake.faultCounts().throttled).toBeGreaterThan(30);
    expect(budget.totals().throttled).toBe(fake.faultCounts().throttled);
    expect(inventory.scan.errors).toEqual([]);
    expect(inventory.resources).toHaveLength(EXPECTED);
    expect(changed(inventory)).toEqual([]);
  });

  it('a burst of HTTP 500/503 (60 % of 80 requests): later passes wait it out, every resource judged as in the clean scan', async () => {
    const { inventory, budget } = await scan({ faults: { burst: { fromRequest: 20, toRequest: 100, rate: 0.6, statuses: [500, 503] }, seed: 5 } });
    expect(fake.faultCounts().burst).toBeGreaterThan(30);
    expect(budget.totals().deferred).toBeGreaterThan(0);
    expect(inventory.scan.errors).toEqual([]);
    expect(inventory.resources).toHaveLength(EXPECTED);
    expect(changed(inventory)).toEqual([]);
  });

  it('a socket that never answers (DynamoDB in eu-west-1): the scan ends within its timeouts; only that listing is lost, with the reason; the rest is judged', async () => {
    const { inventory, ms } = await scan({ requestTimeoutMs: 400, faults: { hang: (c) => c.service === 'dynamodb' && c.region === 'eu-west-1' } });
    // Two listings (tables, backups), each: 2 attempts, a later pass, 1 more — 3 request timeouts, in parallel.
    expect(ms).toBeLessThan(15_000);
    expect(inventory.scan.errors.map((e) => `${e.service} ${e.region} ${e.operation} ${e.code}`).sort()).toEqual([
      'dynamodb eu-west-1 ListBackups TimeoutError',
      'dynamodb eu-west-1 ListTables TimeoutError',
    ]);
    expect(inventory.scan.errors[0]!.message).toContain('--request-timeout');
    const lost = new Set(unit('eu-west-1').tables.map((t) => t.arn));
    expect(inventory.resources).toHaveLength(EXPECTED - lost.size);
    expect(changed(inventory).filter((arn) => !lost.has(arn))).toEqual([]);
  });

  it("a key that never answers DescribeKey: exactly the resources it protects are unknown, each with the reason", async () => {
    // The customer managed key of us-east-1 that protects the most resources.
    const uses = (arn: string) => [...clean.values()].filter((v) => v.endsWith(arn)).length;
    const key = unit('us-east-1')
      .keys.filter((k) => k.manager === 'CUSTOMER')
      .sort((a, b) => uses(b.arn) - uses(a.arn))[0]!;
    const { inventory } = await scan({ requestTimeoutMs: 300, faults: { hang: (c) => c.operation === 'DescribeKey' && c.body.includes(key.keyId) } });
    const protectedByKey = [...clean.entries()].filter(([, v]) => v.endsWith(key.arn)).map(([arn]) => arn);
    expect(protectedByKey.length).toBeGreaterThan(2);
    const unknown = unknowns(inventory);
    expect(inventory.resources).toHaveLength(EXPECTED);
    // The key itself is a resource too; each of them names the failed call.
    expect(unknown.map((r) => r.arn).sort()).toEqual(protectedByKey.sort());
    for (const r of unknown) expect(JSON.stringify(r)).toMatch(/TimeoutError/);
    expect(changed(inventory).sort()).toEqual(protectedByKey.sort());
    expect(inventory.scan.errors.every((e) => e.operation === 'DescribeKey' && e.code === 'TimeoutError')).toBe(true);
  });

  it('AccessDenied on one service in one Region (Lambda, eu-west-1): that listing is a scan error naming the call; everything else judged', async () => {
    const { inventory } = await scan({ faults: { deny: (c) => c.service === 'lambda' && c.region === 'eu-west-1' } });
    expect(inventory.scan.errors).toEqual([
      expect.objectContaining({ service: 'lambda', region: 'eu-west-1', operation: 'ListFunctions', code: 'AccessDeniedException' }),
    ]);
    const lost = new Set(unit('eu-west-1').functions.map((f) => f.arn));
    expect(inventory.resources).toHaveLength(EXPECTED - lost.size);
    expect(changed(inventory).filter((arn) => !lost.has(arn))).toEqual([]);
    expect(unknowns(inventory)).toEqual([]);
  });

  it('a persistent HTTP 500 on one operation (GetBucketPolicy): few attempts, every bucket still judged, the policy facts unknown with the reason', async () => {
    const { inventory } = await scan({ faults: { serverError: (c) => c.operation === 'GetBucketPolicy' } });
    const buckets = inventory.resources.filter((r) => r.service === 's3');
    expect(buckets).toHaveLength(totals.buckets);
    expect(buckets.every((b) => b.evidence.BucketPolicy === undefined && b.evidence.GetBucketPolicyError)).toBe(true);
    expect(changed(inventory)).toEqual([]);
    // 6 attempts each (2 at once, 2 in each of two later passes), not 8.
    expect(fake.counts()['s3:GetBucketPolicy']).toBe(totals.buckets * 6);
    expect(inventory.scan.errors.filter((e) => e.operation === 'GetBucketPolicy')).toHaveLength(totals.buckets);
  });
});
