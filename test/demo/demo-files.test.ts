import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInventoryFile } from '../../src/inventory-file.js';
import type { KeyRecord } from '../../src/model/inventory.js';
import { ACCOUNT } from '../helpers/context.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * What every file of fixtures/demo promises, so that `atrest evaluate
 * fixtures/demo` merges them into one believable account: the same account,
 * principal, regions and scan window; the keys each file's resources use in
 * its own keys[]; and a key that several files list recorded identically
 * (the merge keeps one record per ARN).
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

describe('fixtures/demo as a whole', () => {
  it('has at least the four parts, and a key listed by several files is recorded identically in each', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(4);
    const byArn = new Map<string, { file: string; key: KeyRecord }>();
    for (const file of FILES) {
      for (const key of readInventoryFile(`${ROOT}/fixtures/demo/${file}`).keys) {
        const seen = byArn.get(key.arn);
        if (seen) expect(key, `${key.arn} in ${seen.file} and ${file}`).toEqual(seen.key);
        else byArn.set(key.arn, { file, key });
      }
    }
  });
});
