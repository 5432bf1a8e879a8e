import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInventories, readInventoryFile } from '../../src/inventory-file.js';
import type { Inventory, KeyRecord, Resource } from '../../src/model/inventory.js';
import { renderJson } from '../../src/report/json.js';
import { evaluate } from '../../src/engine/engine.js';
import { buildReport, renderReport } from '../../src/commands/report.js';
import { resolvePolicy } from '../../src/policy/policy-file.js';
import { runCli } from '../helpers/cli.js';
import { ACCOUNT } from '../helpers/context.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * What every file of fixtures/demo promises, so that `atrest evaluate
 * fixtures/demo` merges them into one believable account: the same account,
 * principal, regions and scan window; the keys each file's resources use in
 * its own keys[]; a key or resource that several files list recorded
 * identically (so the merge has nothing to choose between); an alias naming
 * one key per Region, as in AWS; and the same report whatever the order of
 * the files.
 */
const FILES = readdirSync(`${ROOT}/fixtures/demo`).filter((f) => f.endsWith('.json')).sort();

describe.each(FILES)('fixtures/demo/%s', (file) => {
  // readInventoryFile validates against schema/inventory.schema.json.
  const inventory = readInventoryFile(`${ROOT}/fixtures/demo/${file}`);

  it('is the demo account, principal, regions and scan window', () => {
    expect(inventory.scan).toMatchObject({
      accountId: ACCOUNT,
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest`,
      regions: ['eu-west-1', 'us-east-1'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: '2026-11-28T09:04:12.000Z',
    });
    expect(inventory.resources.filter((r) => r.accountId !== ACCOUNT).map((r) => r.arn)).toEqual([]);
  });

  it('lists in its keys[] every key its resources use', () => {
    const keys = new Set(inventory.keys.map((k) => k.arn));
    const used = inventory.resources.map((r) => r.protection.keyArn).filter((k): k is string => k !== null);
    expect(used.filter((k) => !keys.has(k))).toEqual([]);
  });
});

const ALL: Array<[string, Inventory]> = FILES.map((file) => [file, readInventoryFile(`${ROOT}/fixtures/demo/${file}`)]);

/**
 * Orders to merge the files in: every permutation while there are at most
 * five files (120 evaluations); beyond that (720 for six) every rotation of
 * the list and of its reverse, and every swap of two neighbours — each file
 * first and last, and each pair in both orders — so the test stays within
 * its time as the demo grows.
 */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 5) return permutations(items);
  const rotations = (list: T[]) => list.map((_, i) => [...list.slice(i), ...list.slice(0, i)]);
  const swaps = items.slice(1).map((_, i) => {
    const copy = [...items];
    [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
    return copy;
  });
  return [...rotations(items), ...rotations([...items].reverse()), ...swaps];
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('fixtures/demo as a whole', () => {
  it('has at least the four parts, and a key listed by several files is recorded identically in each', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(4);
    const byArn = new Map<string, { file: string; key: KeyRecord }>();
    let shared = 0;
    for (const [file, inventory] of ALL) {
      for (const key of inventory.keys) {
        const seen = byArn.get(key.arn);
        if (seen) {
          shared += 1;
          expect(key, `${key.arn} in ${seen.file} and ${file}`).toStrictEqual(seen.key);
        } else byArn.set(key.arn, { file, key });
      }
    }
    // The AWS managed aws/s3 and aws/ebs keys of us-east-1 are listed by two files each.
    expect(shared).toBeGreaterThanOrEqual(2);
  });

  it('a resource (service, type, ARN) listed by several files is recorded identically in each', () => {
    const byId = new Map<string, { file: string; resource: Resource }>();
    for (const [file, inventory] of ALL) {
      for (const resource of inventory.resources) {
        const id = `${resource.service} ${resource.type} ${resource.arn}`;
        const seen = byId.get(id);
        if (seen) expect(resource, `${id} in ${seen.file} and ${file}`).toStrictEqual(seen.resource);
        else byId.set(id, { file, resource });
      }
    }
  });

  it('an alias names one key per account and Region, AWS managed aliases included', () => {
    const targets = new Map<string, Set<string>>();
    for (const [file, inventory] of ALL) {
      for (const key of inventory.keys) {
        for (const alias of key.aliases) {
          const id = `${key.accountId} ${key.region} ${alias}`;
          const set = targets.get(id) ?? new Set<string>();
          set.add(key.arn);
          targets.set(id, set);
          expect(set.size, `${id} names ${[...set].join(' and ')} (last in ${file})`).toBe(1);
        }
      }
    }
    expect(targets.get(`${ACCOUNT} us-east-1 alias/aws/s3`)?.size).toBe(1);
    // A resource that names its key by alias names the key that carries that alias.
    const keys = new Map(ALL.flatMap(([, inv]) => inv.keys.map((k) => [k.arn, k] as const)));
    for (const [file, inventory] of ALL) {
      for (const resource of inventory.resources) {
        const alias = resource.protection.keyRef?.match(/(?:^|:)(alias\/.+)$/)?.[1];
        if (!alias || !resource.protection.keyArn) continue;
        expect(keys.get(resource.protection.keyArn)?.aliases, `${resource.arn} in ${file}`).toContain(alias);
      }
    }
  });

  it('merges without conflicts, into the same report whatever the order of the files', () => {
    const paths = FILES.map((file) => `fixtures/demo/${file}`);
    const policy = resolvePolicy('baseline');
    const reports = new Set<string>();
    for (const order of orders(paths)) {
      const { inventory, conflicts } = readInventories(order.map((p) => `${ROOT}/${p}`));
      expect(conflicts).toEqual([]);
      reports.add(renderJson(evaluate(inventory, policy, { failOn: 'high' })));
    }
    expect(reports.size).toBe(1);
    // The same through the command line: the folder, and the files listed backwards.
    const folder = runCli(['evaluate', 'fixtures/demo', '--format', 'json']);
    const backwards = runCli(['evaluate', ...[...paths].reverse(), '--format', 'json']);
    expect(folder.stderr).toBe('');
    expect(backwards.stderr).toBe('');
    expect(backwards.stdout).toBe(folder.stdout);
    // The CLI's report is the engine's plus what every format shows (policy digest, triage) and the evidence digest.
    const { inventory } = readInventories(paths.map((p) => `${ROOT}/${p}`));
    const cli = buildReport(inventory, policy, { failOn: 'high', format: 'json' });
    expect(folder.stdout).toBe(renderReport(cli, 'json', undefined));
    const { evidence: _evidence, triage: _triage, ...body } = JSON.parse(folder.stdout);
    delete body.policy.digest;
    expect(`${JSON.stringify(body, null, 2)}\n`).toBe([...reports][0]);
  });
});
