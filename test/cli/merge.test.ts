import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { bucket, inventory, key, keyResource } from '../helpers/inventory.js';

/** `evaluate` and `keys --inventory` on inventories that disagree (spawned; needs a build). */
let older: string;
let newer: string;
let same: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-merge-'));
  const k = key('3333cccc-33cc-33cc-33cc-3333cccc3333', { aliases: ['alias/reports'] });
  const disabled = { ...k, state: 'Disabled' };
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  older = write('older.json', inventory({ finishedAt: '2026-11-27T09:00:00.000Z', keys: [k], resources: [keyResource(k), bucket('reports', { key: k })] }));
  newer = write('newer.json', inventory({ keys: [disabled], resources: [keyResource(disabled), bucket('reports', { key: disabled, attributes: { bucketKeyEnabled: false } }), bucket('web')] }));
  same = write('same.json', inventory({ resources: [bucket('web')] }));
});

describe('merging inventories that disagree', () => {
  it('evaluate gives the same report in any order, keeps the later scan and says so on one stderr line', () => {
    const one = runCli(['evaluate', older, newer, same, '--format', 'json']);
    const two = runCli(['evaluate', same, newer, older, '--format', 'json']);
    expect(one.stdout).toBe(two.stdout);
    expect(one.stderr).toBe(two.stderr);
    const report = JSON.parse(one.stdout) as { keys: Array<{ state: string }> };
    expect(report.keys.map((x) => x.state)).toEqual(['Disabled']);
    // The key, its kms resource and the bucket (Bucket Key turned off) differ; the identical "web" bucket does not count.
    expect(one.stderr).toBe(
      'atrest: 3 record(s) appear in several inventories with different content; kept the most recent scan\'s (e.g. arn:aws:kms:us-east-1:111122223333:key/3333cccc-33cc-33cc-33cc-3333cccc3333; --debug lists them all)\n',
    );
    expect(one.code).toBe(1);
  });

  it('--debug lists every conflict with the files and their scan times', () => {
    const result = runCli(['evaluate', older, newer, '--format', 'json', '--debug']);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('[atrest] merge conflict'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      `[atrest] merge conflict: key arn:aws:kms:us-east-1:111122223333:key/3333cccc-33cc-33cc-33cc-3333cccc3333 differs in state: kept ${newer} (scan finished 2026-11-28T09:04:12.000Z), dropped ${older} (scan finished 2026-11-27T09:00:00.000Z)`,
    );
    expect(lines[2]).toContain('merge conflict: s3 bucket arn:aws:s3:::reports differs in attributes:');
  });

  it('keys --inventory warns the same way; identical copies are silent', () => {
    const keys = runCli(['keys', '--inventory', newer, older, '--format', 'json']);
    expect(keys.stderr).toMatch(/^atrest: 3 record\(s\) appear in several inventories with different content/);
    const quiet = runCli(['evaluate', newer, same, newer, '--format', 'json', '--fail-on', 'none']);
    expect(quiet.stderr).toBe('');
  });
});
