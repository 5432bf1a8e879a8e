import { describe, expect, it } from 'vitest';
import { mergeInventories } from '../../src/inventory-file.js';
import type { Inventory, ScanError } from '../../src/model/inventory.js';
import { renderJson } from '../../src/report/json.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { bucket, inventory, key, keyResource, resource } from '../helpers/inventory.js';

/**
 * mergeInventories (src/inventory-file.ts): the result never depends on the
 * order of the inventories, identical copies merge silently, and differing
 * copies keep the most recent scan's record and are reported.
 */

const EARLY = '2026-11-28T09:04:12.000Z';
const LATE = '2026-11-28T10:15:00.000Z';

const appKey = key('1111aaaa-11aa-11aa-11aa-1111aaaa1111', { aliases: ['alias/app'] });
const disabledAppKey = { ...appKey, state: 'Disabled', evidence: { ...appKey.evidence, KeyState: 'Disabled' } };
const otherKey = key('2222bbbb-22bb-22bb-22bb-2222bbbb2222', { aliases: ['alias/other'] });

const listDenied: ScanError = { service: 's3', region: 'us-east-1', operation: 'ListBuckets', code: 'AccessDenied', message: 'Access Denied' };
const volumesDenied: ScanError = { service: 'ebs', region: 'eu-west-1', operation: 'DescribeVolumes', code: 'AccessDenied', message: 'Access Denied' };

/** Reverses the key order of every object: same content, different bytes. */
function reordered<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reordered) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)])) as T;
}

/** The early scan: the app key enabled, a bucket under it, an SSE-S3 "shared" bucket, a "tie" bucket. */
const a = inventory({
  finishedAt: EARLY,
  keys: [appKey],
  resources: [keyResource(appKey), bucket('app-bucket', { key: appKey }), bucket('shared'), bucket('tie', { tags: { from: 'a' } })],
  errors: [listDenied],
});
/** The later scan: the app key is now disabled, "shared" lost its encryption, one volume more. */
const b = {
  ...inventory({
    finishedAt: LATE,
    regions: ['eu-west-1'],
    keys: [disabledAppKey],
    resources: [keyResource(disabledAppKey), bucket('shared', { level: 'none' }), resource('ebs', 'volume', 'vol-0123456789abcdef0', { region: 'eu-west-1', level: 'none' })],
    errors: [listDenied, volumesDenied],
  }),
  tool: { name: 'atrest', version: '9.9.9-later' },
};
/** Finished at the same instant as `a`: the app key identical (keys written in another order), "tie" differs, another key. */
const c = inventory({
  finishedAt: EARLY,
  keys: [reordered(appKey), otherKey],
  resources: [reordered(keyResource(appKey)), keyResource(otherKey), bucket('tie', { tags: { from: 'c' } })],
});

const NAMED: Array<[string, Inventory]> = [
  ['a.json', a],
  ['b.json', b],
  ['c.json', c],
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function merge(named: Array<[string, Inventory]>) {
  return mergeInventories(
    named.map(([, inv]) => inv),
    named.map(([name]) => name),
  );
}

describe('mergeInventories', () => {
  it('gives byte-identical reports and the same conflicts for every order of three inventories', () => {
    const orders = permutations(NAMED);
    expect(orders).toHaveLength(6);
    const results = orders.map((order) => {
      const { inventory: merged, conflicts } = merge(order);
      return { report: renderJson(evaluate(merged, BASELINE_POLICY, { failOn: 'high' })), inventory: JSON.stringify(merged), conflicts: JSON.stringify(conflicts) };
    });
    for (const result of results.slice(1)) {
      expect(result.inventory).toBe(results[0]!.inventory);
      expect(result.report).toBe(results[0]!.report);
      expect(result.conflicts).toBe(results[0]!.conflicts);
    }
    // The comparison is not vacuous: the merged report holds all three inventories' records.
    const report = JSON.parse(results[0]!.report) as { resources: Array<{ id: string }>; keys: Array<{ arn: string }> };
    expect(report.keys.map((k) => k.arn)).toEqual([appKey.arn, otherKey.arn]);
    expect(report.resources.map((r) => r.id)).toEqual(expect.arrayContaining(['app-bucket', 'shared', 'tie', 'vol-0123456789abcdef0', otherKey.keyId]));
  });

  it('merges identical copies silently, whatever the key order inside the objects', () => {
    const { inventory: merged, conflicts } = mergeInventories([a, reordered(a)], ['a.json', 'a-copy.json']);
    expect(conflicts).toEqual([]);
    expect(merged.keys).toHaveLength(1);
    expect(merged.resources).toHaveLength(a.resources.length);
    // The scan error both copies carry is one error, not two (one SCAN.INCOMPLETE finding).
    expect(merged.scan.errors).toEqual([listDenied]);
  });

  it('keeps the record of the scan that finished last and reports each differing record once', () => {
    for (const order of permutations(NAMED)) {
      const { inventory: merged, conflicts } = merge(order);
      expect(merged.keys.find((k) => k.arn === appKey.arn)!.state).toBe('Disabled');
      expect(merged.resources.find((r) => r.id === 'shared')!.protection.level).toBe('none');
      expect(merged.resources.find((r) => r.service === 'kms' && r.id === appKey.keyId)!.attributes.state).toBe('Disabled');
      // The later scan's tool; the errors of all, once each.
      expect(merged.tool.version).toBe('9.9.9-later');
      expect(merged.scan.errors).toEqual([volumesDenied, listDenied]);
      expect(merged.scan.finishedAt).toBe(LATE);
      expect(merged.scan.regions).toEqual(['eu-west-1', 'us-east-1']);

      expect(conflicts.map((x) => `${x.record} ${x.arn}`)).toEqual([
        `key ${appKey.arn}`,
        `resource ${appKey.arn}`,
        'resource arn:aws:s3:::shared',
        'resource arn:aws:s3:::tie',
      ]);
      const [keyConflict, , shared, tie] = conflicts;
      // The app key: a and c agree with each other, b (later) differs from both.
      expect(keyConflict).toMatchObject({ kept: { source: 'b.json', finishedAt: LATE }, fields: ['evidence', 'state'], tie: false });
      expect(keyConflict!.dropped.map((d) => d.source).sort()).toEqual(['a.json', 'c.json']);
      expect(shared).toMatchObject({ service: 's3', type: 'bucket', kept: { source: 'b.json' }, dropped: [{ source: 'a.json', finishedAt: EARLY }], tie: false });
      expect(shared!.fields).toEqual(['attributes', 'protection']);
    }
  });

  it('breaks a tie on finishedAt by content, never by argument order, and says so', () => {
    const kept = new Set<string>();
    for (const order of permutations(NAMED)) {
      const tie = merge(order).conflicts.find((x) => x.arn === 'arn:aws:s3:::tie')!;
      expect(tie).toMatchObject({ tie: true, fields: ['tags'] });
      kept.add(tie.kept.source);
    }
    expect(kept.size).toBe(1);
    // The same pair under other names: the content still decides, so the same record wins.
    const byContent = (names: [string, string]) =>
      mergeInventories([a, c], names).inventory.resources.find((r) => r.id === 'tie')!.tags;
    expect(byContent(['x.json', 'y.json'])).toEqual(byContent(['y.json', 'x.json']));
  });

  it('reports a record repeated with different content inside one inventory', () => {
    const twice = inventory({ resources: [bucket('twice'), bucket('twice', { level: 'none' })] });
    const { inventory: merged, conflicts } = mergeInventories([twice], ['one.json']);
    expect(merged.resources).toHaveLength(1);
    expect(conflicts).toMatchObject([{ record: 'resource', arn: 'arn:aws:s3:::twice', kept: { source: 'one.json' }, dropped: [{ source: 'one.json' }] }]);
    expect(mergeInventories([reordered(twice)], ['one.json']).inventory).toEqual(merged);
    // A file without repeats comes back as it is.
    expect(mergeInventories([a]).inventory).toBe(a);
  });

  it('names inventories "inventory N" when the caller gives no names', () => {
    const { conflicts } = mergeInventories([a, b]);
    expect(conflicts[0]!.kept.source).toBe('inventory 2');
  });
});
