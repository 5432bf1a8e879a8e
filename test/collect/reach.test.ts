import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsFlags } from '../../src/commands/flags.js';
import { collectSession, openSession } from '../../src/commands/aws-session.js';
import { createProgress } from '../../src/commands/progress.js';
import { UsageError } from '../../src/errors.js';
import { mergeInventories } from '../../src/inventory-file.js';
import type { Inventory } from '../../src/model/inventory.js';
import { renderReport } from '../../src/commands/report.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { validator } from '../../src/schema.js';
import { fakeOrg, keyArn, type FakeAccount, type FakeOrgOptions } from '../helpers/fake-org.js';
import { ScriptedClients } from '../helpers/http.js';
import { sarifProblems } from '../helpers/sarif.js';
import { findAll, parseXml } from '../helpers/xml.js';

/**
 * Accounts and regions end to end in one process, on the real SDK clients
 * against a scripted organisation (test/helpers/fake-org.ts): every enabled
 * region by default, opt-in regions, roles that cannot be assumed,
 * credentials that expire mid-scan, Organizations pagination, keys shared
 * across accounts, buckets outside the scanned regions, and shards whose
 * merge equals the whole scan.
 */
const MGMT = '111122223333';
const A = '444455556666';
const B = '777788889999';
const C = '222233334444';
const SUSPENDED = '555566667777';

const US = 'us-east-1';
const EU = 'eu-west-1';
const ME = 'me-south-1';
const HK = 'ap-east-1';

function account(id: string, extra: Partial<FakeAccount> = {}): FakeAccount {
  return {
    id,
    regions: { [US]: 'opt-in-not-required', [EU]: 'opt-in-not-required', [ME]: 'opted-in', [HK]: 'not-opted-in' },
    keys: { [US]: 2, [EU]: 1, [ME]: 1 },
    buckets: [
      { name: `logs-${id}`, region: US },
      { name: `data-${id}`, region: EU },
    ],
    ...extra,
  };
}

const baseFlags: AwsFlags = { services: ['kms', 's3'], concurrency: 4, maxAttempts: 2, quiet: true };

async function scan(org: ReturnType<typeof fakeOrg>, flags: Partial<AwsFlags> = {}): Promise<Inventory> {
  const clients = new ScriptedClients(org.route);
  const all = { ...baseFlags, ...flags };
  try {
    const session = await openSession(all, () => {}, { clients });
    const { inventory } = await collectSession(session, all, () => {}, createProgress({ mode: 'quiet', calls: session.stats }));
    return inventory;
  } finally {
    clients.destroy();
  }
}

const policy = BASELINE_POLICY;
const validInventory = validator('inventory.schema.json');
const validReport = validator('report.schema.json');

function org(options: Partial<FakeOrgOptions> & { accounts: FakeAccount[] }) {
  return fakeOrg({ management: MGMT, ...options });
}

beforeEach(() => {
  vi.stubEnv('AWS_REGION', US);
  vi.stubEnv('AWS_DEFAULT_REGION', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('regions', () => {
  it('scans every enabled region by default, records every opt-in status, and sends nothing to a region not enabled', async () => {
    const o = org({ accounts: [account(MGMT)] });
    const inventory = await scan(o);
    expect(validInventory(inventory)).toBe(true);
    expect(inventory.scan.regions).toEqual([EU, ME, US]);
    expect(inventory.scan.accountId).toBe(MGMT);
    expect(inventory.scan.principalArn).toBe(`arn:aws:iam::${MGMT}:user/auditor`);
    expect(inventory.scan.accounts).toEqual([
      expect.objectContaining({ accountId: MGMT, status: 'scanned', regions: [EU, ME, US], regionOptIn: { [HK]: 'not-opted-in', [ME]: 'opted-in', [EU]: 'opt-in-not-required', [US]: 'opt-in-not-required' } }),
    ]);
    expect(o.log.filter((r) => r.scope?.region === HK)).toEqual([]);
    // 4 keys + 2 buckets, every one judged.
    expect(inventory.resources.filter((r) => r.service === 'kms')).toHaveLength(4);
    expect(inventory.resources.filter((r) => r.service === 's3')).toHaveLength(2);
    expect(inventory.scan.errors).toEqual([]);
    // The first calls went to AWS_REGION; ListBuckets once for the account, in the home region.
    expect(o.log.filter((r) => r.operation === 'DescribeRegions').map((r) => r.scope?.region)).toEqual([US]);
    const s3Gets = o.log.filter((r) => r.operation.startsWith('GET /') && !r.hostname.startsWith('logs-') && !r.hostname.startsWith('data-'));
    expect(s3Gets.filter((r) => !r.hostname.startsWith('s3express')).map((r) => r.scope?.region)).toEqual([US]);
    // Directory buckets are listed per region (S3 Express One Zone's ListDirectoryBuckets): once in each enabled region, none elsewhere.
    expect(s3Gets.filter((r) => r.hostname.startsWith('s3express')).map((r) => r.scope?.region).sort()).toEqual([EU, ME, US]);
  });

  it('an empty region costs one list call per service (KMS ListKeys; S3 lists once per account)', async () => {
    const o = org({ accounts: [account(MGMT, { keys: {}, buckets: [] })] });
    const inventory = await scan(o, { services: ['kms'] });
    expect(inventory.resources).toEqual([]);
    const perRegion = (region: string) => o.log.filter((r) => r.scope?.region === region && r.scope.service === 'kms').map((r) => r.operation);
    // Listings only, one page each: no per-item call, and nothing else reaches the region. (The KMS check
    // lists aliases next to keys; skipping ListAliases when ListKeys is empty is the check's to decide.)
    for (const region of [EU, ME]) expect(perRegion(region)).toEqual(['ListKeys', 'ListAliases']);
    for (const region of [EU, ME]) expect(o.log.filter((r) => r.scope?.region === region && r.scope.service !== 'kms')).toEqual([]);
  });

  it('--regions naming an opt-in region that is not enabled: a note, no call there, and not exit 3', async () => {
    const o = org({ accounts: [account(MGMT)] });
    const inventory = await scan(o, { regions: `${HK},${US}` });
    expect(inventory.scan.regions).toEqual([US]);
    expect(inventory.scan.accounts![0]!.notes).toEqual([expect.stringContaining(`so not scanned: ${HK}`)]);
    expect(o.log.filter((r) => r.scope?.region === HK && r.scope.service !== 'sts')).toEqual([]);
    const report = evaluate(inventory, policy, { failOn: 'critical' });
    expect(report.findings.filter((f) => f.ruleId === 'SCAN.INCOMPLETE')).toEqual([]);
    expect(report.outcome.exitCode).toBe(0);
    const table = renderReport(report, 'table', 'x.txt');
    expect(table).toContain(`not enabled for account ${MGMT}`);
  });

  it('--regions with a name DescribeRegions does not list is a usage error naming it', async () => {
    const o = org({ accounts: [account(MGMT)] });
    await expect(scan(o, { regions: 'us-west-2' })).rejects.toThrow(/--regions: us-west-2 not a region of partition aws/);
  });

  it('a service a region does not offer, or that the account is not subscribed to there, is a recorded fact: no error, not exit 3', async () => {
    const o = org({ accounts: [account(MGMT)] });
    const clients = new ScriptedClients((req) => {
      if (req.scope?.service === 'kms' && req.scope.region === ME) {
        return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'SubscriptionRequiredException', message: 'The AWS Access Key Id needs a subscription for the service' }) };
      }
      // No KMS endpoint in eu-west-1 (as for a service a region does not offer): its host name does not resolve.
      if (req.scope?.service === 'kms' && req.scope.region === EU) throw Object.assign(new Error(`getaddrinfo ENOTFOUND kms.${EU}.amazonaws.com`), { code: 'ENOTFOUND' });
      return o.route(req);
    });
    const session = await openSession({ ...baseFlags, services: ['kms'] }, () => {}, { clients });
    const { inventory } = await collectSession(session, baseFlags, () => {}, createProgress({ mode: 'quiet', calls: session.stats }));
    clients.destroy();
    expect(validInventory(inventory)).toBe(true);
    expect(inventory.scan.errors).toEqual([]);
    expect(inventory.scan.unavailable).toEqual([
      expect.objectContaining({ accountId: MGMT, service: 'kms', region: EU, operation: 'ListKeys', code: 'ENOTFOUND', reason: expect.stringContaining('not offered there') }),
      expect.objectContaining({ accountId: MGMT, service: 'kms', region: ME, operation: 'ListKeys', code: 'SubscriptionRequiredException', reason: expect.stringContaining('not subscribed') }),
    ]);
    expect(inventory.scan.regions).toEqual([EU, ME, US]);
    expect(inventory.scan.accounts![0]!.status).toBe('scanned');
    const report = evaluate(inventory, policy, { failOn: 'critical' });
    expect(report.outcome.exitCode).toBe(0);
    expect(renderReport(report, 'table', 'x.txt')).toContain(`not offered or not subscribed (no resources, not an error): kms in ${EU}, kms in ${ME}`);
  });

  it('a bucket in a region not asked for is counted and named, not dropped', async () => {
    const o = org({ accounts: [account(MGMT)] });
    const inventory = await scan(o, { regions: US });
    expect(inventory.resources.filter((r) => r.service === 's3').map((r) => r.id)).toEqual([`logs-${MGMT}`]);
    expect(inventory.scan.outsideRegions).toEqual([{ accountId: MGMT, service: 's3', type: 'bucket', arn: `arn:aws:s3:::data-${MGMT}`, region: EU }]);
    const table = renderReport(evaluate(inventory, policy, { failOn: 'high' }), 'table', 'x.txt');
    expect(table).toContain(`1 resource(s) seen outside the scanned regions, not judged`);
    expect(table).toContain(`s3 bucket data-${MGMT} (${EU})`);
  });
});

describe('accounts', () => {
  it('--role-arn for two accounts, one of which cannot be assumed: recorded with the reason, the scan goes on, exit 3', async () => {
    const o = org({ accounts: [account(MGMT), account(A), account(B, { assumable: false })] });
    const inventory = await scan(o, { roleArn: [`arn:aws:iam::${A}:role/atrest-readonly`, `arn:aws:iam::${B}:role/atrest-readonly`], regions: `${US},${EU}` });
    expect(validInventory(inventory)).toBe(true);
    expect(inventory.scan.accountId).toBe('multiple');
    const [a, b] = inventory.scan.accounts!;
    expect(a).toMatchObject({ accountId: A, status: 'scanned', principalArn: `arn:aws:sts::${A}:assumed-role/atrest-readonly/atrest`, roleArn: `arn:aws:iam::${A}:role/atrest-readonly`, regions: [EU, US] });
    expect(b).toMatchObject({ accountId: B, status: 'failed', principalArn: '', regions: [], error: { operation: 'AssumeRole', code: 'AccessDenied' } });
    expect(inventory.scan.errors).toEqual([expect.objectContaining({ service: 'sts', accountId: B, operation: 'AssumeRole', code: 'AccessDenied', resourceArn: `arn:aws:iam::${B}:role/atrest-readonly` })]);
    // Every resource of the readable account is judged: 3 keys, 2 buckets.
    expect(inventory.resources.map((r) => r.accountId)).toEqual(Array(5).fill(A));
    expect(inventory.resources.every((r) => r.protection.level !== 'unknown')).toBe(true);
    // The calling account was not scanned (no --org-include-self, no role of its own).
    expect(o.log.filter((r) => r.account === MGMT && r.scope?.service === 'kms')).toEqual([]);

    const report = evaluate(inventory, policy, { failOn: 'high' });
    expect(validReport(report)).toBe(true);
    expect(report.outcome.exitCode).toBe(3);
    const unknown = report.findings.filter((f) => f.status === 'unknown');
    expect(unknown).toEqual([expect.objectContaining({ ruleId: 'SCAN.INCOMPLETE', accountId: B, resourceArn: `arn:aws:iam::${B}:role/atrest-readonly` })]);
    expect(unknown[0]!.remediation!.summary).toContain('sts:AssumeRole');
    // Findings would make it 1: KMS.ROTATION fails for the first key of each region (medium).
    expect(evaluate(inventory, policy, { failOn: 'medium' }).outcome.exitCode).toBe(1);
    expect(report.summary.byAccount![A]!.resources).toBe(5);
    expect(report.summary.byAccount![B]!.byStatus.unknown).toBe(1);
    expect(report.scores!.byAccount![A]!.byService.kms!.resources).toBe(3);
  });

  it('JSON, SARIF, JUnit and the table are valid for many accounts and say which accounts and regions', async () => {
    const o = org({ accounts: [account(MGMT), account(A), account(B, { assumable: false })] });
    const inventory = await scan(o, { roleArn: [`arn:aws:iam::${A}:role/atrest-readonly`, `arn:aws:iam::${B}:role/atrest-readonly`], regions: US, orgIncludeSelf: false });
    const report = evaluate(inventory, policy, { failOn: 'high' });
    expect(validReport(JSON.parse(renderReport(report, 'json', undefined)))).toBe(true);
    expect(sarifProblems(JSON.parse(renderReport(report, 'sarif', undefined)))).toEqual([]);
    const junit = parseXml(renderReport(report, 'junit', undefined));
    expect(findAll(junit, 'property').find((p) => p.attrs.name === 'accounts')!.attrs.value).toBe(`${A}:scanned,${B}:failed`);
    const table = renderReport(report, 'table', 'x.txt');
    expect(table).toContain('2 accounts (1 not readable)');
    expect(table).toContain(`regions (1) ${US}`);
    expect(table).toContain('By account (2)');
    expect(table).toMatch(new RegExp(`${A}\\s*│\\s*scanned`));
    expect(table).toMatch(new RegExp(`account ${B} not scanned: AssumeRole AccessDenied`));
  });

  it('--org-role: every ACTIVE account over every ListAccounts page, the caller excluded unless --org-include-self, filters by id', async () => {
    const accounts = [account(MGMT), account(A), account(B), account(C), account(SUSPENDED, { state: 'SUSPENDED' })];
    const o = org({ accounts, pageSize: 2 });
    const inventory = await scan(o, { orgRole: 'atrest-readonly', regions: US });
    expect(o.log.filter((r) => r.operation === 'ListAccounts')).toHaveLength(3);
    expect(inventory.scan.accounts!.map((a) => a.accountId)).toEqual([C, A, B].sort());
    expect(o.assumeRoleCalls.sort()).toEqual([A, B, C].sort().map((id) => `arn:aws:iam::${id}:role/atrest-readonly`));
    expect(inventory.scan.notes).toEqual([`not scanned, not ACTIVE in the organisation: ${SUSPENDED} (SUSPENDED)`]);

    const withSelf = await scan(org({ accounts, pageSize: 2 }), { orgRole: 'atrest-readonly', orgIncludeSelf: true, regions: US, excludeAccounts: [B] });
    expect(withSelf.scan.accounts!.map((a) => [a.accountId, a.roleArn ?? 'own credentials'])).toEqual([
      [MGMT, 'own credentials'],
      [C, `arn:aws:iam::${C}:role/atrest-readonly`],
      [A, `arn:aws:iam::${A}:role/atrest-readonly`],
    ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)));

    const only = await scan(org({ accounts, pageSize: 2 }), { orgRole: 'atrest-readonly', regions: US, accounts: [A] });
    expect(only.scan.accountId).toBe(A);
    expect(only.scan.principalArn).toBe(`arn:aws:sts::${A}:assumed-role/atrest-readonly/atrest`);
    await expect(scan(org({ accounts }), { orgRole: 'atrest-readonly', regions: US, accounts: ['999999999999'] })).rejects.toThrow(/--accounts: 999999999999 not among the accounts to scan/);
  });

  it('--org-role from an account that may not list the organisation is a usage error naming the permission', async () => {
    // The caller is not the management account: ListAccounts is denied.
    const o = fakeOrg({ management: '999988887777', accounts: [account(MGMT), account(A)] });
    const clients = new ScriptedClients((req) => (req.scope?.service === 'organizations' ? o.route({ ...req, accessKeyId: 'ASIAnobody' }) : fakeOrg({ management: MGMT, accounts: [account(MGMT)] }).route(req)));
    await expect(openSession({ ...baseFlags, orgRole: 'atrest-readonly', regions: US }, () => {}, { clients })).rejects.toThrow(/--org-role: organizations:ListAccounts failed .*management account or a delegated administrator/);
    clients.destroy();
  });

  it('--accounts-file: ids with --role-name, role ARNs, comments; a bad line names the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-accounts-'));
    const file = join(dir, 'accounts.txt');
    writeFileSync(file, `# production\n${A}   # payments\n\narn:aws:iam::${B}:role/custom-audit\n`);
    const o = org({ accounts: [account(MGMT), account(A), account(B)] });
    const inventory = await scan(o, { accountsFile: file, roleName: 'atrest-readonly', regions: US });
    expect(inventory.scan.accounts!.map((a) => a.roleArn)).toEqual([`arn:aws:iam::${A}:role/atrest-readonly`, `arn:aws:iam::${B}:role/custom-audit`]);

    writeFileSync(file, `${A}\nnot-an-account\n`);
    await expect(scan(o, { accountsFile: file, roleName: 'x', regions: US })).rejects.toThrow(`${file}:2: "not-an-account" is neither a 12-digit account id nor an IAM role ARN`);
    writeFileSync(file, `${A}\n`);
    await expect(scan(o, { accountsFile: file, regions: US })).rejects.toThrow(`${file}:1: account ${A} has no role: pass --role-name NAME`);
  });

  it('credentials that expire mid-scan are refreshed before use: no call is signed with an expired key', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    let kmsCalls = 0;
    const o = org({ accounts: [account(MGMT), account(A, { keys: { [US]: 6, [EU]: 6, [ME]: 6 } })], credentialSeconds: 900 });
    const route = o.route;
    const clients = new ScriptedClients((req) => {
      const reply = route(req);
      // Part-way through the keys, 11 minutes pass: 4 minutes are left of the 15-minute session, less than
      // the refresh margin. Later, 5 more: the first session is over, and a call signed with it would fail.
      if (req.scope?.service === 'kms' && req.target === 'DescribeKey') {
        kmsCalls += 1;
        if (kmsCalls === 6) vi.setSystemTime(Date.now() + 11 * 60_000);
        if (kmsCalls === 14) vi.setSystemTime(Date.now() + 5 * 60_000);
      }
      return reply;
    });
    const flags = { ...baseFlags, roleArn: [`arn:aws:iam::${A}:role/atrest-readonly`], sessionDuration: 900 };
    const session = await openSession(flags, () => {}, { clients });
    const { inventory } = await collectSession(session, flags, () => {}, createProgress({ mode: 'quiet', calls: session.stats }));
    clients.destroy();
    expect(o.assumeRoleCalls).toHaveLength(2);
    expect(o.expired).toBe(0);
    expect(inventory.scan.errors).toEqual([]);
    const keys = inventory.resources.filter((r) => r.service === 'kms');
    expect(keys).toHaveLength(18);
    expect(keys.every((k) => k.protection.level === 'customer-managed')).toBe(true);
    // After the refresh, account A's calls are signed with the new key only.
    const refresh = o.log.findLastIndex((r) => r.operation === 'AssumeRole');
    const keysAfter = new Set(o.log.slice(refresh + 1).filter((r) => r.account === A).map((r) => r.accessKeyId));
    expect(keysAfter.size).toBe(1);
    expect([...keysAfter][0]).toMatch(/X0002$/);
  });

  it('a key of one scanned account used by a resource of another is described once, by its owner, and linked', async () => {
    const shared = keyArn(B, US, 1);
    const o = org({ accounts: [account(MGMT), account(A, { buckets: [{ name: 'a-uploads', region: US, kmsKeyArn: shared }] }), account(B)] });
    const inventory = await scan(o, { roleArn: [`arn:aws:iam::${A}:role/atrest-readonly`, `arn:aws:iam::${B}:role/atrest-readonly`], regions: US });
    const key = inventory.keys.filter((k) => k.arn === shared);
    expect(key).toHaveLength(1);
    expect(key[0]).toMatchObject({ accountId: B, inScannedAccount: true, describable: true, level: 'customer-managed' });
    const describes = o.log.filter((r) => r.target === 'DescribeKey' && r.body.includes(shared));
    expect(describes.map((r) => r.account)).toEqual([B]);
    const bucket = inventory.resources.find((r) => r.id === 'a-uploads')!;
    expect(bucket.protection).toMatchObject({ level: 'customer-managed', keyArn: shared });
    expect(inventory.scan.errors).toEqual([]);
    const report = evaluate(inventory, policy, { failOn: 'high' });
    expect(report.keys.find((k) => k.arn === shared)!.dependents).toContain('arn:aws:s3:::a-uploads');
  });
});

describe('shards: merge of N shards = one scan of everything', () => {
  const accounts = () => [account(MGMT), account(A), account(B, { regions: { [US]: 'opt-in-not-required', [EU]: 'opt-in-not-required', [ME]: 'not-opted-in', [HK]: 'opted-in' }, keys: { [US]: 1, [HK]: 2 }, buckets: [{ name: 'b-hk', region: HK }, { name: 'b-us', region: US, kmsKeyArn: keyArn(A, US, 0) }] }), account(C, { assumable: false })];
  const flags: Partial<AwsFlags> = { orgRole: 'atrest-readonly', orgIncludeSelf: true };

  function comparable(inventory: Inventory) {
    const report = evaluate(inventory, policy, { failOn: 'high' });
    const { startedAt: _s, finishedAt: _f, shards: _shards, ...scan } = report.scan;
    return { scan, findings: report.findings, resources: report.resources, keys: report.keys, summary: report.summary, scores: report.scores, outcome: report.outcome };
  }

  it.each([2, 3, 7])('%i shards', async (n) => {
    const whole = await scan(org({ accounts: accounts() }), flags);
    const shards: Inventory[] = [];
    for (let k = 1; k <= n; k += 1) shards.push(await scan(org({ accounts: accounts() }), { ...flags, shard: { index: k, count: n } }));
    // Every unit in exactly one shard.
    const units = shards.flatMap((s) => s.scan.shard!.units);
    expect(units.length).toBe(new Set(units).size);
    expect(new Set(units)).toEqual(new Set([MGMT, A, B, C].flatMap((id) => [EU, HK, ME, US].map((r) => `${id}/${r}`))));
    for (const s of shards) expect(validInventory(s)).toBe(true);

    const merged = mergeInventories(shards).inventory;
    expect(validInventory(merged)).toBe(true);
    expect(merged.scan.shards).toEqual({ count: n, merged: Array.from({ length: n }, (_, i) => i + 1), missing: [] });
    expect(comparable(merged)).toEqual(comparable(whole));
    // The failed account, the cross-account key and the HK bucket survive the merge.
    expect(merged.scan.accounts!.find((a) => a.accountId === C)!.status).toBe('failed');
    expect(merged.resources.find((r) => r.id === 'b-us')!.protection.keyArn).toBe(keyArn(A, US, 0));
    expect(merged.keys.find((k) => k.arn === keyArn(A, US, 0))!.inScannedAccount).toBe(true);
    expect(merged.scan.outsideRegions).toBeUndefined();
  });

  it('a missing shard is said, and what it held is not claimed', async () => {
    const one = await scan(org({ accounts: accounts() }), { ...flags, shard: { index: 1, count: 3 } });
    const three = await scan(org({ accounts: accounts() }), { ...flags, shard: { index: 3, count: 3 } });
    const merged = mergeInventories([one, three]).inventory;
    expect(merged.scan.shards).toEqual({ count: 3, merged: [1, 3], missing: [2] });
    const table = renderReport(evaluate(merged, policy, { failOn: 'high' }), 'table', 'x.txt');
    expect(table).toContain('shard(s) 2 missing');
  });

  it('an empty shard (more shards than units) is a valid, empty inventory', async () => {
    const inventory = await scan(org({ accounts: [account(MGMT)] }), { regions: US, shard: { index: 1, count: 2 } });
    expect(validInventory(inventory)).toBe(true);
    expect(inventory.scan.shard).toEqual({ index: 1, count: 2, units: [] });
    expect(inventory.resources).toEqual([]);
  });
});

describe('usage errors', () => {
  it('--org-include-self without --org-role, --role-name without --accounts-file', async () => {
    const o = org({ accounts: [account(MGMT)] });
    await expect(scan(o, { orgIncludeSelf: true })).rejects.toThrow(UsageError);
    await expect(scan(o, { roleName: 'x', regions: US })).rejects.toThrow(/--role-name builds role ARNs/);
    await expect(scan(o, { roleArn: ['arn:aws:iam::12345:role/x'], regions: US })).rejects.toThrow(/is not an IAM role ARN/);
  });

  it('no DescribeRegions and no --regions: exit 2 naming ec2:DescribeRegions', async () => {
    const o = org({ accounts: [account(MGMT)] });
    const clients = new ScriptedClients((req) =>
      req.scope?.service === 'ec2'
        ? { status: 403, headers: { 'content-type': 'text/xml' }, body: '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>x</RequestID></Response>' }
        : o.route(req),
    );
    await expect(openSession(baseFlags, () => {}, { clients })).rejects.toThrow(/ec2:DescribeRegions failed in us-east-1 \(UnauthorizedOperation.*allow ec2:DescribeRegions.*or pass --regions/);
    clients.destroy();
  });
});

