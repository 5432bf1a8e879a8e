import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseHtml } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { md as mdText } from '../../src/report/markdown.js';
import { renderReport } from '../../src/commands/report.js';
import { bodyDigest } from '../../src/engine/evidence.js';
import { REPORT_FORMATS } from '../../src/model/formats.js';
import type { Report } from '../../src/model/report.js';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { CSV_COLUMNS, CSV_OPTIONS, csvChunks } from '../../src/report/csv.js';
import { JsonSequence, jsonChunks } from '../../src/report/json-stream.js';
import { validator } from '../../src/schema.js';
import { ROOT } from '../helpers/fixtures.js';
import { ocsfJsonSchema } from '../helpers/ocsf-schema.js';
import { fixtureReport, NASTY } from '../helpers/report-fixture.js';

/**
 * Every format from one report, read back by a real parser: JSON and SARIF
 * and OCSF against their published schemas, JUnit by an XML parser, CSV by
 * a CSV parser (every field unchanged), HTML by the WHATWG parser.
 */
const require = createRequire(import.meta.url);
const Ajv4 = require('ajv-draft-04') as new (o: Record<string, unknown>) => { compile: (s: unknown) => ((d: unknown) => boolean) & { errors?: unknown } };
const Ajv = (require('ajv') as { default: new (o: Record<string, unknown>) => { compile: (s: unknown) => ((d: unknown) => boolean) & { errors?: unknown } } }).default;
const addFormats = (require('ajv-formats') as { default: (a: unknown) => void }).default;

let report: Report;
const out: Partial<Record<(typeof REPORT_FORMATS)[number], string>> = {};

beforeAll(() => {
  report = fixtureReport();
  for (const format of REPORT_FORMATS) out[format] = renderReport(report, format, 'report.out');
});

describe('every format from the same report', () => {
  it('json: the streamed bytes are JSON.stringify(report, null, 2), then the evidence member; valid against schema/report.schema.json', () => {
    const text = out.json!;
    const parsed = JSON.parse(text);
    const { evidence, ...body } = parsed;
    expect(`${JSON.stringify(body, null, 2)}\n`).toBe([...jsonChunks(report)].join(''));
    expect(evidence.digest).toBe(bodyDigest(report));
    expect(Object.keys(parsed).at(-1)).toBe('evidence');
    const validate = validator('report.schema.json');
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
  });

  it('json streaming equals JSON.stringify for nested, empty and odd values at every depth', () => {
    const values: unknown[] = [{ a: [1, { b: [], c: {} }], u: undefined, f: () => 1, d: new Date(0), n: Number.NaN, s: 'x\ny"\u2028' }, [], {}, [[[[]]]], [undefined, null], 'text', 0];
    for (const v of values) for (const depth of [0, 1, 2, 5]) expect([...jsonChunks(v, depth)].join('')).toBe(`${JSON.stringify(v, null, 2)}\n`);
  });

  it('a JsonSequence is written as JSON.stringify writes the array of its elements, made as they are written', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ i, text: `item ${i}`, nested: [i, { deep: [i] }] }));
    for (const depth of [1, 2, 3, 4, 6]) {
      let made = 0;
      const seq = new JsonSequence(items.length, (function* () {
        for (const item of items) {
          made += 1;
          yield item;
        }
      })());
      const chunks = jsonChunks({ head: 1, list: seq, empty: new JsonSequence(0, []), tail: [seq.length] }, depth);
      expect([...chunks].join('')).toBe(`${JSON.stringify({ head: 1, list: items, empty: [], tail: [items.length] }, null, 2)}\n`);
      expect(made).toBe(items.length);
    }
  });

  it('json streaming equals JSON.stringify for arrays written in many batches (elements of every kind and size, at every depth)', () => {
    const element = (i: number): unknown =>
      [{ i, s: 'é"\\\n'.repeat(i % 7), big: i % 500 === 0 ? 'x'.repeat(200_000) : undefined, nested: [[i], { deep: [{}] }] }, undefined, () => i, null, i, [[]], new Date(i), `t${i}`][i % 8];
    const list = Array.from({ length: 5000 }, (_, i) => element(i));
    const values = [list, { a: { b: list, c: [list] }, list }, [[list]]];
    for (const v of values) for (const depth of [1, 2, 3, 5]) expect([...jsonChunks(v, depth)].join('')).toBe(`${JSON.stringify(v, null, 2)}\n`);
  });

  it('sarif: valid against the OASIS SARIF 2.1.0 schema (fixtures/sarif)', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv4({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(out.sarif!);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results.length).toBe(report.findings.filter((f) => ['fail', 'unknown', 'suppressed'].includes(f.status)).length);
  });

  it('ocsf: every event is a valid OCSF 1.3.0 Detection Finding (fixtures/ocsf), one per failing or unknown finding', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(ocsfJsonSchema('detection_finding', ['cloud']));
    const events = JSON.parse(out.ocsf!) as Array<Record<string, any>>;
    expect(events.length).toBe(report.findings.filter((f) => f.status === 'fail' || f.status === 'unknown').length);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    const nasty = events.find((e) => e.message === NASTY)!;
    expect(nasty.class_uid).toBe(2004);
    expect(nasty.resources[0].uid).toMatch(/^arn:aws:/);
    expect(nasty.remediation.desc).toBeTruthy();
    // The schema must be able to fail: an event without its class is rejected.
    const { class_uid: _gone, ...broken } = nasty;
    expect(validate(broken)).toBe(false);
  });

  it('junit: well-formed XML (fast-xml-parser), one testcase per finding, the message back unchanged', () => {
    expect(XMLValidator.validate(out.junit!)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), processEntities: true, htmlEntities: true }).parse(out.junit!);
    const cases = doc.testsuites.testsuite.flatMap((s: { testcase?: unknown[] }) => s.testcase ?? []);
    expect(cases.length).toBe(report.findings.length);
    const failure = cases.find((c: { failure?: { message: string } }) => c.failure?.message?.startsWith('bucket "acme'));
    expect(failure.failure.message.replace(/\r\n/g, '\n')).toBe(NASTY.replace(/\r\n/g, '\n'));
  });

  it('csv: a header and one row per finding; a CSV parser gives back every field unchanged (commas, quotes, line breaks, non-ASCII)', () => {
    const rows = parseCsv(out.csv!, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(report.findings.length);
    report.findings.forEach((f, i) => {
      const row = Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, rows[i + 1]![j]]));
      expect([row.ruleId, row.status, row.severity, row.resourceArn, row.message, row.remediation]).toEqual([f.ruleId, f.status, f.severity, f.resourceArn, f.message, f.remediation?.summary ?? '']);
    });
    expect(out.csv!.endsWith('\r\n')).toBe(true);
  });

  it('csv: byte for byte what csv-stringify writes for the whole table (the fields it need not quote are written as they are)', () => {
    const odd = ['', ' ', 'plain', 'a,b', '"', 'x"y', 'line\nbreak', 'cr\rx', 'crlf\r\n', '=1+2', '-3', '@x', '\t tab', 'ünï 東京', ' lead', 'trail ', ',', '""', 'a\u2028b'];
    const findings = [...report.findings.slice(0, 40), ...odd.map((v, i) => ({ ...report.findings[i % report.findings.length]!, message: v, resourceArn: `arn:aws:s3:::${v}`, title: v, remediation: { summary: v, path: 'in-place', steps: [], cli: v, docs: v } }))];
    const text = [...csvChunks({ ...report, findings })].join('');
    const rows = parseCsv(text) as string[][];
    expect(text).toBe(stringifyCsv(rows, CSV_OPTIONS));
    expect(rows.slice(41).map((r) => r[8])).toEqual(odd);
  });

  it('html: parses without errors (parse5), fetches nothing, and carries the counts and every finding', () => {
    const errors: string[] = [];
    parseHtml(out.html!, { onParseError: (e) => errors.push(e.code) });
    expect(errors).toEqual([]);
    expect(out.html!).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(out.html!).toContain("default-src 'none'");
    for (const [status, n] of Object.entries(report.summary.byStatus)) expect(out.html!).toContain(`data-count="${status}">${n}<`);
    const data = JSON.parse(/<script type="application\/json" id="atrest-data">([\s\S]*?)<\/script>/.exec(out.html!)![1]!);
    expect(data.findings.length).toBe(report.findings.length);
    expect(data.findings.some((r: unknown[]) => r[5] === NASTY)).toBe(true);
  });

  it('markdown: the outcome, the scores, the top findings with their fix, and what was not read; table cells escaped', () => {
    const md = out.markdown!;
    expect(md).toContain(`**exit ${report.outcome.exitCode}**`);
    expect(md).toContain(`| **account** | **${report.scores!.account.score}**`);
    expect(md).toContain('### Needs attention');
    expect(md).toContain('### What was not read');
    // The cost the engine computed, as it stated it (key charges and the request charge sentence).
    expect(md).toContain(`key charges **$${report.cost.monthlyKeyChargesUsd.toFixed(2)}`);
    expect(md).toContain(mdText(report.cost.requestCharges));
    expect(md).not.toContain('<b>owned</b>');
    expect(md.length).toBeLessThan(65536);
  });

  it('the table and the markdown follow the triage: one cause, one entry, most urgent first within a severity', () => {
    const items = report.triage!.items;
    const grouped = items.find((i) => i.cause)!;
    expect(grouped.findings.length).toBeGreaterThan(1);
    expect(report.findings[grouped.findings[0]!]!.resourceArn).toBe(grouped.cause!.resourceArn);
    const critical = items.filter((i) => i.severity === 'critical');
    const firstUndated = critical.findIndex((i) => !i.dueAt);
    expect(critical.slice(firstUndated).some((i) => i.dueAt)).toBe(false);
    // Unknown findings of critical severity are with the critical failures, not after the lows.
    const lastCritical = items.map((i) => i.severity).lastIndexOf('critical');
    expect(items.slice(0, lastCritical + 1).some((i) => i.status === 'unknown')).toBe(true);
    expect(out.table!).toContain(`one cause: ${grouped.cause!.summary.split(' ').slice(0, 2).join(' ')}`);
  });
});
