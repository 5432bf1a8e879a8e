import { describe, expect, it } from 'vitest';
import { allUnits, parseShard, shardUnits, unitId } from '../../src/collect/units.js';
import { UsageError } from '../../src/errors.js';

/** --shard K/N over (account, region) units: every unit exactly once across N, whatever the account order. */
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'me-south-1', 'sa-east-1'];

function accounts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919));
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('shards', () => {
  it.each([
    [1, 1],
    [3, 2],
    [7, 5],
    [40, 16],
    [2, 20],
  ])('%i accounts × 5 regions over %i shards: every unit in exactly one shard, sizes within one', (n, count) => {
    const units = allUnits(accounts(n), REGIONS);
    const shards = Array.from({ length: count }, (_, i) => shardUnits(units, { index: i + 1, count }));
    const all = shards.flat().map(unitId);
    expect(all).toHaveLength(units.length);
    expect(new Set(all)).toEqual(new Set(units.map(unitId)));
    const sizes = shards.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is the same share whatever order the accounts and regions are listed in', () => {
    const ids = accounts(23);
    for (let k = 1; k <= 6; k += 1) {
      const expected = shardUnits(allUnits(ids, REGIONS), { index: k, count: 6 }).map(unitId);
      for (const seed of [1, 2, 3]) {
        expect(shardUnits(allUnits(shuffled(ids, seed), shuffled(REGIONS, seed + 10)), { index: k, count: 6 }).map(unitId)).toEqual(expected);
      }
    }
  });

  it('keeps an account\'s regions together where it can (fewer role sessions per shard)', () => {
    const units = allUnits(accounts(8), REGIONS);
    const perShard = Array.from({ length: 4 }, (_, i) => new Set(shardUnits(units, { index: i + 1, count: 4 }).map((u) => u.accountId)).size);
    // 40 units, 10 a shard: two full accounts each (a round robin would put all 8 accounts in every shard).
    expect(perShard).toEqual([2, 2, 2, 2]);
  });

  it('parses K/N and refuses anything else, naming the flag', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '3', '1/2/3', '1.5/4']) expect(() => parseShard(bad)).toThrow(UsageError);
    expect(() => parseShard('0/4')).toThrow(/--shard: "0\/4" is not K\/N/);
  });
});
