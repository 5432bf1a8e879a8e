import { describe, expect, it } from 'vitest';
import { readInventories } from '../../src/inventory-file.js';
import { ROOT } from '../helpers/fixtures.js';

/** The demo shows every resource type issue 10 added at several protection levels. */
describe('the demo account and the new resource types (issue 10)', () => {
  const { inventory } = readInventories([`${ROOT}/fixtures/demo`]);
  it.each([
    ['s3', 'directory-bucket'],
    ['lambda', 'function-version'],
    ['rds', 'db-instance-automated-backup'],
    ['aurora', 'db-cluster-automated-backup'],
    ['redshift', 'serverless-snapshot'],
    ['dynamodb', 'dax-cluster'],
  ])('%s %s appears at several levels', (service, type) => {
    const levels = new Set(inventory.resources.filter((r) => r.service === service && r.type === type).map((r) => r.protection.level));
    expect(levels.size, [...levels].join(', ')).toBeGreaterThanOrEqual(2);
  });
  it('the RDS automated backups span the RDS and Aurora services and several levels together', () => {
    const backups = inventory.resources.filter((r) => r.type.endsWith('-automated-backup'));
    expect(new Set(backups.map((r) => r.protection.level)).size).toBeGreaterThanOrEqual(3);
    expect(backups.some((r) => r.attributes.retained === true)).toBe(true);
    expect(backups.some((r) => r.attributes.replicated === true)).toBe(true);
  });
});
