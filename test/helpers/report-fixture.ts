import { readInventories } from '../../src/inventory-file.js';
import { buildReport } from '../../src/commands/report.js';
import type { Report } from '../../src/model/report.js';
import { resolvePolicy } from '../../src/policy/policy-file.js';
import { ROOT } from './fixtures.js';

/**
 * One report every format test renders: the demo account under the acme
 * policy file (waivers active, expired and stale), built once per test file
 * the way the CLI builds it (policy digest, triage). One finding's message
 * is replaced by text that breaks naive writers of every format: commas,
 * quotes, a line break, a pipe, markup and non-ASCII.
 */
export const NASTY = 'bucket "acme, \'eu\'" <b>owned</b> by Zoë | 東京 & ünïcode\r\nsecond line, with "quotes"';

let cached: Report | undefined;

export function fixtureReport(): Report {
  if (cached) return cached;
  const { inventory } = readInventories([`${ROOT}/fixtures/demo`]);
  const policy = resolvePolicy(`${ROOT}/fixtures/policy/acme.policy.yaml`);
  const report = buildReport(inventory, policy, { failOn: 'high', format: 'json' });
  const target = report.findings.find((f) => f.status === 'fail' && f.remediation)!;
  target.message = NASTY;
  cached = report;
  return report;
}
