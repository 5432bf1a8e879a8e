import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInventories } from '../../src/inventory-file.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { Finding, Report } from '../../src/model/report.js';
import { resolvePolicy } from '../../src/policy/policy-file.js';
import { renderJunit } from '../../src/report/junit.js';
import { xmlAttr, xmlText } from '../../src/report/xml.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { ROOT } from '../helpers/fixtures.js';
import { findAll, parseXml, XmlError, type XmlElement } from '../helpers/xml.js';

const demoInventory = (): Inventory => readInventories([join(ROOT, 'fixtures', 'demo')]).inventory;
const demo = (): Report => evaluate(demoInventory(), BASELINE_POLICY, { failOn: 'high' });
const acme = (): Report =>
  evaluate(readInventories([join(ROOT, 'fixtures', 'policy', 'inventory.json')]).inventory, resolvePolicy(join(ROOT, 'fixtures', 'policy', 'acme.policy.yaml')), { failOn: 'high' });

const num = (el: XmlElement, attr: string): number => {
  const v = el.attrs[attr];
  expect(v, `${el.name} ${attr}`).toMatch(/^\d+$/);
  return Number(v);
};

/** What a testcase holds besides itself: failure, error, skipped or nothing. */
const outcomeOf = (tc: XmlElement): string => (tc.children.length === 0 ? 'pass' : tc.children.map((c) => c.name).join('+'));

describe('the well-formedness checker (test/helpers/xml.ts) rejects what an XML parser must', () => {
  it.each([
    ['an unescaped &', '<a>x & y</a>'],
    ['an unescaped < in text', '<a>x < y</a>'],
    ['a < in an attribute', '<a b="x<y"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a reference to a forbidden character', '<a>&#1;</a>'],
    ['a raw control character', '<a>\u0001</a>'],
    ['an unpaired surrogate', '<a>\uD800</a>'],
    [']]> in text', '<a>]]></a>'],
    ['an unquoted attribute', '<a b=c/>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['attributes run together', '<a b="1"c="2"/>'],
    ['a mismatched end tag', '<a><b></a></b>'],
    ['an unclosed element', '<a><b/>'],
    ['two root elements', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['a malformed declaration', '<?xml version="2.0"?><a/>'],
  ])('%s', (_name, doc) => {
    expect(() => parseXml(doc)).toThrow(XmlError);
  });

  it('accepts and decodes the escapes the reporter writes', () => {
    const el = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a b="&quot;&apos;&lt;&gt;&amp;&#9;&#10;&#13; x\ty">t&amp;&#x1F600;<![CDATA[<c>]]></a>\n');
    expect(el.attrs.b).toBe('"\'<>&\t\n\r x y');
    expect(el.text).toBe('t&\u{1F600}<c>');
  });
});

describe('JUnit XML', () => {
  it.each([
    ['the demo account', demo],
    ['the waiver fixture', acme],
  ])('%s: well-formed, one testsuite per service, counts that add up', (_name, make) => {
    const report = make();
    const root = parseXml(renderJunit(report));
    expect(root.name).toBe('testsuites');
    const suites = root.children.filter((c) => c.name === 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(Object.keys(report.summary.byService));
    const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const suite of suites) {
      const cases = suite.children.filter((c) => c.name === 'testcase');
      const outcomes = cases.map(outcomeOf);
      const s = report.summary.byService[suite.attrs.name!]!.byStatus;
      expect(num(suite, 'tests')).toBe(cases.length);
      expect(num(suite, 'failures')).toBe(outcomes.filter((o) => o === 'failure').length);
      expect(num(suite, 'errors')).toBe(outcomes.filter((o) => o === 'error').length);
      expect(num(suite, 'skipped')).toBe(outcomes.filter((o) => o === 'skipped').length);
      expect([num(suite, 'tests'), num(suite, 'failures'), num(suite, 'errors'), num(suite, 'skipped')]).toEqual([
        s.pass + s.fail + s.unknown + s.suppressed + s['not-applicable'],
        s.fail,
        s.unknown,
        s.suppressed + s['not-applicable'],
      ]);
      for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += num(suite, k);
    }
    expect({ tests: num(root, 'tests'), failures: num(root, 'failures'), errors: num(root, 'errors'), skipped: num(root, 'skipped') }).toEqual(sum);
    expect(sum.tests).toBe(report.findings.length);
  });

  it('one testcase per finding, in report order, classname = rule id and name = resource ARN, mapped by status', () => {
    const report = acme();
    const root = parseXml(renderJunit(report));
    const cases = findAll(root, 'testcase');
    const inOrder = Object.keys(report.summary.byService).flatMap((s) => report.findings.filter((f) => f.service === s));
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name])).toEqual(inOrder.map((f) => [f.ruleId, f.resourceArn]));
    const statuses = new Set(inOrder.map((f) => f.status));
    expect([...statuses].sort()).toEqual(['fail', 'not-applicable', 'pass', 'suppressed']);
    inOrder.forEach((f, i) => {
      const tc = cases[i]!;
      if (f.status === 'pass') expect(tc.children).toEqual([]);
      if (f.status === 'fail') {
        expect(tc.children.map((c) => c.name)).toEqual(['failure']);
        const failure = tc.children[0]!;
        expect(failure.attrs).toEqual({ message: f.message, type: f.severity });
        expect(failure.text.startsWith(`${f.message}\n`)).toBe(true);
        if (f.remediation) {
          expect(failure.text).toContain(`Fix: ${f.remediation.summary}`);
          for (const step of f.remediation.steps) expect(failure.text).toContain(`  - ${step}`);
        }
      }
      if (f.status === 'suppressed') {
        expect(tc.children.map((c) => c.name)).toEqual(['skipped']);
        // Each suppressed finding names its own waiver (fixtures/policy/acme.policy.yaml has two that suppress).
        expect(tc.children[0]!.attrs.message).toBe(`suppressed by a waiver until ${f.waiver!.expires} (owner ${f.waiver!.owner}): ${f.waiver!.reason}`);
        expect(f.waiver!.owner).toBe('platform-team@example.com');
      }
    });
    // The expired waiver does not skip: its finding fails and says the waiver expired.
    const expired = cases[inOrder.findIndex((f) => f.waiver?.status === 'expired')]!;
    expect(expired.children[0]!.name).toBe('failure');
    expect(expired.children[0]!.text).toContain('waiver expired 2026-10-31 (owner data-team@example.com)');
  });

  it('unknown is an <error> (the scan could not decide), not-applicable is <skipped> with the reason', () => {
    const report = demo();
    const cases = findAll(parseXml(renderJunit(report)), 'testcase');
    const inOrder = Object.keys(report.summary.byService).flatMap((s) => report.findings.filter((f) => f.service === s));
    const unknown = inOrder.map((f, i) => [f, cases[i]!] as const).filter(([f]) => f.status === 'unknown');
    expect(unknown.length).toBe(report.summary.byStatus.unknown);
    for (const [f, tc] of unknown) {
      expect(tc.children.map((c) => c.name)).toEqual(['error']);
      expect(tc.children[0]!.attrs).toEqual({ message: `could not be decided: ${f.message}`, type: 'unknown' });
    }
    const scanIncomplete = unknown.find(([f]) => f.ruleId === 'SCAN.INCOMPLETE')!;
    expect(scanIncomplete[1].children[0]!.text).toContain(`Fix: ${scanIncomplete[0].remediation!.summary}`);
    const na = inOrder.map((f, i) => [f, cases[i]!] as const).filter(([f]) => f.status === 'not-applicable');
    expect(na.length).toBeGreaterThan(0);
    for (const [f, tc] of na) expect(tc.children).toEqual([{ name: 'skipped', attrs: { message: `not applicable: ${f.message}` }, children: [], text: '' }]);
  });

  it('escapes quotes, <, &, newlines and non-ASCII so a parser reads back exactly what the finding says', () => {
    const nasty = `He said "stop" & 'go' <now> ]]> — café, 東京, emoji \u{1F512}\ttab\r\nCRLF\nLF`;
    const report = demo();
    const fail = report.findings.findIndex((f) => f.status === 'fail');
    const suppressedBase = report.findings.find((f) => f.status === 'pass')!;
    const target: Finding = { ...report.findings[fail]!, message: nasty, ruleId: 'R"<&>\'', resourceArn: 'arn:aws:s3:::a&b<c>"d\'' };
    const waived: Finding = {
      ...suppressedBase,
      status: 'suppressed',
      waiver: { rule: '*', resource: 'arn:aws:s3:::*', reason: nasty, owner: 'Zoë <zoe@example.com>', expires: '2027-01-01', status: 'active' },
    };
    report.findings = [target, waived, ...report.findings.filter((_f, i) => i !== fail)];
    const xml = renderJunit(report);
    const cases = findAll(parseXml(xml), 'testcase');
    const tc = cases.find((c) => c.attrs.classname === 'R"<&>\'')!;
    expect(tc.attrs.name).toBe('arn:aws:s3:::a&b<c>"d\'');
    expect(tc.children[0]!.attrs.message).toBe(nasty); // tab, CR and LF survive attribute normalisation as references
    expect(tc.children[0]!.text.startsWith(nasty)).toBe(true); // CR survives end-of-line handling as a reference
    const skipped = cases.find((c) => c.children[0]?.name === 'skipped' && c.children[0].attrs.message!.includes('Zoë'))!;
    expect(skipped.children[0]!.attrs.message).toBe(`suppressed by a waiver until 2027-01-01 (owner Zoë <zoe@example.com>): ${nasty}`);
    // Non-ASCII is written as UTF-8 characters, not references.
    expect(xml).toContain('café, 東京, emoji \u{1F512}');
  });

  it('characters XML 1.0 cannot carry become U+FFFD instead of breaking the document', () => {
    const report = demo();
    const i = report.findings.findIndex((f) => f.status === 'fail');
    report.findings[i] = { ...report.findings[i]!, message: 'nul\u0000 bell\u0007 esc\u001b lone\uD800 ok\u{1F600} end\uFFFF' };
    const root = parseXml(renderJunit(report));
    const failure = findAll(root, 'failure').find((f) => f.attrs.message!.startsWith('nul'))!;
    expect(failure.attrs.message).toBe('nul\uFFFD bell\uFFFD esc\uFFFD lone\uFFFD ok\u{1F600} end\uFFFD');
    expect(xmlText('a\u0000b')).toBe('a\uFFFDb');
    expect(xmlAttr('"\'<>&\t\n\r')).toBe('&quot;&apos;&lt;&gt;&amp;&#9;&#10;&#13;');
  });

  it('is deterministic: byte-identical for the same input, whatever order the inventory lists things in', () => {
    const a = renderJunit(demo());
    expect(renderJunit(demo())).toBe(a);
    const shuffled = demoInventory();
    shuffled.resources.reverse();
    shuffled.keys.reverse();
    expect(renderJunit(evaluate(shuffled, BASELINE_POLICY, { failOn: 'high' }))).toBe(a);
    // One testcase per finding of the report.
    expect(a.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="atrest 111122223333" tests="${demo().findings.length}"`)).toBe(true);
    expect(a).toContain('time="252.000"'); // the scan's own duration, from the report
  });

  it('carries the scan facts as testsuite properties', () => {
    const report = demo();
    const suite = findAll(parseXml(renderJunit(report)), 'testsuite')[0]!;
    const props = Object.fromEntries(findAll(suite, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({
      account: '111122223333',
      policy: 'baseline',
      failOn: 'high',
      exitCode: String(report.outcome.exitCode),
      outcome: report.outcome.reason,
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: '2026-11-28T09:04:12.000Z',
    });
  });
});
