import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { KMSClient } from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect } from '../../../src/collect/collect.js';
import { createLogger } from '../../../src/commands/output.js';
import { renderReport } from '../../../src/commands/report.js';
import { REPORT_FORMATS } from '../../../src/commands/flags.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Report } from '../../../src/model/report.js';
import { renderJson } from '../../../src/report/json.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { makeStyle } from '../../../src/report/style.js';
import { renderTable } from '../../../src/report/table.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { buildRulesIndex } from '../../../src/engine/rule-index.js';
import { runCli } from '../../helpers/cli.js';
import { ACCOUNT, testClients } from '../../helpers/context.js';
import { awsError } from '../../helpers/fixtures.js';
import { mockKms } from '../../helpers/kms-mock-dlr.js';
import { FN_ARN, mockFunctions, newCanary } from './fixtures.js';

/**
 * "No secret leaves the account", proved with a canary: a unique random
 * value placed in every environment variable value and in the presigned code
 * URL of the mocked ListFunctions and GetFunction responses. It must appear
 * in no output atrest can produce: the inventory (`collect`), every report
 * format (`table`, `json`, `sarif`, `junit`, in-process and from the spawned
 * CLI, to stdout and to --output), and the --debug log, collected line by line.
 */

const canary = newCanary();
let lambda: AwsClientStub<LambdaClient>;
let kms: AwsClientStub<KMSClient>;
let inventory: Inventory;
let inventoryText: string;
const logLines: string[] = [];
const stderrLines: string[] = [];
let dir: string;
let inventoryFile: string;

beforeAll(async () => {
  lambda = mockClient(LambdaClient);
  kms = mockKms();
  mockFunctions(lambda, canary);
  // One function's GetFunction is denied, so the table report has a Lambda row (SCAN.INCOMPLETE) to render.
  lambda.on(GetFunctionCommand, { FunctionName: FN_ARN('cron-cleanup') }).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:GetFunction', 403));

  // The real --debug logger (stderr), spied on, plus a collector of every line handed to it.
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderrLines.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
    return true;
  });
  const debug = createLogger(true);
  try {
    const result = await collect({
      clients: testClients(),
      accountId: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:role/atrest-audit`,
      partition: 'aws',
      regions: ['us-east-1'],
      services: ['lambda'],
      concurrency: 4,
      log: (message) => {
        logLines.push(message);
        debug(message);
      },
      now: () => new Date('2026-11-28T09:00:00.000Z'),
    });
    inventory = result.inventory;
  } finally {
    spy.mockRestore();
  }
  // Exactly what `atrest collect` writes.
  inventoryText = `${JSON.stringify(inventory, null, 2)}\n`;
  dir = mkdtempSync(join(tmpdir(), 'atrest-canary-'));
  inventoryFile = join(dir, 'inventory.json');
  writeFileSync(inventoryFile, inventoryText);
});

afterAll(() => {
  lambda.restore();
  kms.restore();
});

function expectClean(label: string, text: string): void {
  expect(text.length, `${label} is empty: the test would prove nothing`).toBeGreaterThan(0);
  expect(text.includes(canary), `${label} contains the canary secret`).toBe(false);
  // The table wraps long cells across lines: a leaked value could be cut in pieces. Any 12
  // characters of the (random) canary in a row would be a piece of it.
  const pieces = Array.from({ length: canary.length - 11 }, (_, i) => canary.slice(i, i + 12)).filter((p) => !p.startsWith('canary-'));
  expect(pieces.filter((p) => text.includes(p)), `${label} contains a piece of the canary secret`).toEqual([]);
  expect(text, `${label} contains the presigned code URL`).not.toMatch(/X-Amz-Signature|awslambda-us-east-1-tasks/);
}

describe('the Lambda canary secret', () => {
  it('was really in the mocked responses, and the scan read them', () => {
    const served = JSON.stringify(lambda.calls().map((c) => c.returnValue));
    expect(lambda.calls().length).toBeGreaterThanOrEqual(5);
    expect(inventory.resources.filter((r) => r.service === 'lambda' && r.type === 'function')).toHaveLength(4);
    // Published versions carry their own variables (the canary too): read, and judged, by name and shape only.
    expect(inventory.resources.filter((r) => r.type === 'function-version').map((r) => r.id).sort()).toEqual(['billing-worker:2', 'billing-worker:3']);
    // Names made it through; the values behind them did not.
    expect(inventoryText).toContain('DB_PASSWORD');
    expect(inventoryText).toContain('STRIPE_API_KEY');
    expect(served.length).toBeGreaterThan(0);
    // The canary also sits inside values shaped like credentials (an access key id, a PEM private key, a JWT,
    // a connection string, a high-entropy token): each was recognised while read, and only its kind kept.
    const checkout = inventory.resources.find((r) => r.id === 'checkout-api')!;
    expect((checkout.attributes.environmentSecretShapes as Array<{ kind: string }>).map((s) => s.kind).sort()).toEqual([
      'aws-access-key-id',
      'connection-string-password',
      'high-entropy-token',
      'jwt',
      'private-key',
    ]);
  });

  it('covers every report format the CLI offers', () => {
    // The per-format tests below iterate REPORT_FORMATS: a format added to the CLI is covered without editing this file.
    expect([...REPORT_FORMATS]).toEqual(expect.arrayContaining(['table', 'json', 'sarif', 'junit']));
  });

  it('is not in the inventory', () => {
    expectClean('inventory', inventoryText);
  });

  it('is not in the --debug log (every line handed to the logger, and what reached stderr)', () => {
    expect(logLines.some((l) => l.startsWith('lambda ListFunctions'))).toBe(true);
    expect(logLines.some((l) => l.startsWith('lambda GetFunction'))).toBe(true);
    expectClean('debug log lines', logLines.join('\n'));
    expectClean('debug stderr', stderrLines.join(''));
  });

  it.each([
    ['baseline', BASELINE_POLICY],
    ['strict + lambda customer-managed (failing findings with names)', { ...STRICT_POLICY, minimumLevel: { ...STRICT_POLICY.minimumLevel, lambda: 'customer-managed' } } as Policy],
  ])('is not in the json, table, sarif or junit report (%s)', (_name, policy) => {
    const report: Report = evaluate(inventory, policy, { failOn: 'high' });
    expect(report.findings.some((f) => f.service === 'lambda')).toBe(true);
    expectClean('json report', renderJson(report));
    const table = renderTable(report, { style: makeStyle(false), width: 200 });
    expect(table).toContain('function:cron-clean'); // a Lambda row really is rendered (the cell may wrap)
    expectClean('table report', table);
    expectClean('table report (as the CLI renders it)', renderReport(report, 'table', 'file.txt'));
    expectClean('json report (as the CLI renders it)', renderReport(report, 'json', undefined));
    // The CI formats carry the Lambda findings too (a SARIF result or JUnit testcase names the function).
    const sarif = renderSarif(report, buildRulesIndex());
    expect(sarif).toContain('function:cron-cleanup');
    expectClean('sarif report', sarif);
    const junit = renderJunit(report);
    expect(junit).toContain('function:cron-cleanup');
    expectClean('junit report', junit);
    // Every format the CLI renders, whatever it is.
    for (const format of REPORT_FORMATS) expectClean(`${format} report (as the CLI renders it)`, renderReport(report, format, undefined));
    // LAMBDA.ENV_SECRETS names the variables (and the kind of their values), never a value.
    const secrets = report.findings.find((f) => f.ruleId === 'LAMBDA.ENV_SECRETS' && f.resourceArn.endsWith(':checkout-api'))!;
    expect(secrets.status).toBe('fail');
    expect(secrets.message).toContain('TLS_PEM (value looks like a private key block)');
  });

  it.each([
    ...REPORT_FORMATS.map((format) => [format, []] as [string, string[]]),
    ...REPORT_FORMATS.map((format) => [format, ['--policy', 'strict']] as [string, string[]]),
    // Waived findings listed too.
    ['table', ['--show-suppressed']] as [string, string[]],
  ])('is not in `atrest evaluate --format %s --debug %s` stdout or stderr', (format, extra) => {
    const r = runCli(['--debug', 'evaluate', inventoryFile, '--format', format, '--fail-on', 'none', ...extra]);
    expect(r.code, r.stderr).toBe(3); // the denied GetFunction makes the scan incomplete
    expect(r.stdout).toContain('cron-cleanup');
    expectClean(`evaluate ${format} stdout`, r.stdout);
    expect(r.stderr.includes(canary)).toBe(false);
  });

  it('is not in a report written with --output', () => {
    for (const format of REPORT_FORMATS) {
      const out = join(dir, `report.${format}`);
      const r = runCli(['evaluate', inventoryFile, '--format', format, '--output', out]);
      expect(r.stderr.includes(canary)).toBe(false);
      expectClean(`--output ${format}`, readFileSync(out, 'utf8'));
    }
  });

  it.each([['table'], ['json']])('is not in the key-centred view, `atrest keys --inventory … --format %s --debug`', (format) => {
    const r = runCli(['--debug', 'keys', '--inventory', inventoryFile, '--format', format]);
    expect(r.code, r.stderr).not.toBe(2);
    expectClean(`keys ${format} stdout`, r.stdout);
    expect(r.stderr.includes(canary)).toBe(false);
  });

  it.each([['table'], ['json']])('is not in a compliance page, `atrest evaluate --compliance aws-config --format %s --debug`', (format) => {
    const r = runCli(['--debug', 'evaluate', inventoryFile, '--compliance', 'aws-config', '--format', format, '--fail-on', 'none']);
    expect(r.code, r.stderr).not.toBe(2);
    expectClean(`compliance ${format} stdout`, r.stdout);
    expect(r.stderr.includes(canary)).toBe(false);
  });
});
