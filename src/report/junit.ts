import { SCAN_INCOMPLETE_ID, type Finding, type Report } from '../model/report.js';
import { xmlAttrs, xmlText } from './xml.js';

/**
 * JUnit XML for CI test reporters (GitLab, Jenkins, Azure DevOps; docs/ci.md).
 * A renderer: everything comes from the Report.
 *
 * One <testsuite> per service (the report's service order), one <testcase>
 * per finding (report order) with classname = rule id and name = resource
 * ARN:
 * - fail           → <failure message=… type=severity>: the message, the fix, its steps
 * - unknown        → <error type="unknown">: the scan could not decide
 * - suppressed     → <skipped message=…>: the waiver, its owner and expiry
 * - not-applicable → <skipped message=…>: why
 * - pass           → a plain <testcase/>
 * The counts in every attribute add up: tests = all findings, failures =
 * fail, errors = unknown, skipped = suppressed + not-applicable.
 */

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(findings: readonly Finding[]): Counts {
  const c: Counts = { tests: findings.length, failures: 0, errors: 0, skipped: 0 };
  for (const f of findings) {
    if (f.status === 'fail') c.failures += 1;
    else if (f.status === 'unknown') c.errors += 1;
    else if (f.status === 'suppressed' || f.status === 'not-applicable') c.skipped += 1;
  }
  return c;
}

function countAttrs(c: Counts): Array<[string, number]> {
  return [
    ['tests', c.tests],
    ['failures', c.failures],
    ['errors', c.errors],
    ['skipped', c.skipped],
  ];
}

/** Whole seconds between the scan's start and end (from the report, so the output is deterministic). */
function scanSeconds(report: Report): string {
  const ms = Date.parse(report.scan.finishedAt) - Date.parse(report.scan.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

export function renderJunit(report: Report): string {
  return [...junitChunks(report)].join('');
}

/** The same bytes as renderJunit, line by line. */
export function* junitChunks(report: Report): Generator<string> {
  const byService = new Map<string, Finding[]>();
  for (const service of Object.keys(report.summary.byService)) byService.set(service, []);
  for (const f of report.findings) {
    const list = byService.get(f.service);
    if (list) list.push(f);
    else byService.set(f.service, [f]);
  }
  const scan = report.scan;
  const properties: Array<[string, string]> = [
    ['atrest.version', report.tool.version],
    ['account', scan.accountId],
    ['principal', scan.principalArn],
    ...((scan.accounts?.length ?? 0) > 1 ? [['accounts', scan.accounts!.map((a) => `${a.accountId}:${a.status}`).join(',')] as [string, string]] : []),
    ['regions', scan.regions.join(',')],
    ['policy', report.policy.name],
    ['startedAt', scan.startedAt],
    ['finishedAt', scan.finishedAt],
    ['failOn', report.outcome.failOn],
    ['exitCode', String(report.outcome.exitCode)],
    ['outcome', report.outcome.reason],
    ...(report.compliance ? [['compliance', report.compliance.framework] as [string, string]] : []),
  ];

  const out = { push: (...lines: string[]): void => void pending.push(...lines) };
  const pending: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const flush = function* (): Generator<string> {
    if (pending.length > 0) yield `${pending.join('\n')}\n`;
    pending.length = 0;
  };
  out.push(`<testsuites${xmlAttrs([['name', `${report.tool.name} ${scan.accountId}`], ...countAttrs(count(report.findings)), ['time', scanSeconds(report)]])}>`);
  for (const [service, findings] of byService) {
    out.push(`  <testsuite${xmlAttrs([['name', service], ...countAttrs(count(findings))])}>`);
    out.push('    <properties>');
    for (const [name, value] of properties) out.push(`      <property${xmlAttrs([['name', name], ['value', value]])}/>`);
    out.push('    </properties>');
    for (const f of findings) {
      out.push(...testcase(f));
      if (pending.length > 1000) yield* flush();
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  yield* flush();
}

function testcase(f: Finding): string[] {
  const open = `    <testcase${xmlAttrs([['classname', f.ruleId], ['name', f.resourceArn]])}`;
  switch (f.status) {
    case 'pass':
      return [`${open}/>`];
    case 'fail':
      return [open + '>', `      <failure${xmlAttrs([['message', f.message], ['type', f.severity]])}>${xmlText(failureBody(f))}</failure>`, '    </testcase>'];
    case 'unknown':
      return [open + '>', `      <error${xmlAttrs([['message', `could not be decided: ${f.message}`], ['type', 'unknown']])}>${xmlText(unknownBody(f))}</error>`, '    </testcase>'];
    case 'suppressed': {
      const w = f.waiver;
      const why = w ? `suppressed by a waiver until ${w.expires} (owner ${w.owner}): ${w.reason}` : 'suppressed';
      return [open + '>', `      <skipped${xmlAttrs([['message', why]])}/>`, '    </testcase>'];
    }
    case 'not-applicable':
      return [open + '>', `      <skipped${xmlAttrs([['message', `not applicable: ${f.message}`]])}/>`, '    </testcase>'];
  }
}

function failureBody(f: Finding): string {
  const lines = [f.message, '', `${f.severity} · ${f.title}`];
  if (f.requiredLevel) lines.push(`required level: ${f.requiredLevel}${f.override ? ` (tag override ${f.override.name})` : ''}`);
  if (f.waiver?.status === 'expired') lines.push(`waiver expired ${f.waiver.expires} (owner ${f.waiver.owner}): ${f.waiver.reason}`);
  if (f.remediation) {
    lines.push('', `Fix: ${f.remediation.summary}`);
    for (const step of f.remediation.steps) lines.push(`  - ${step}`);
    lines.push(`Docs: ${f.remediation.docs}`);
  }
  return lines.join('\n');
}

function unknownBody(f: Finding): string {
  const lines = [`atrest could not decide this finding (never counted as a pass): ${f.message}`];
  // SCAN.INCOMPLETE's fix is about the scan (a permission); other rules' fixes are for a failure not proven here.
  if (f.ruleId === SCAN_INCOMPLETE_ID && f.remediation) lines.push('', `Fix: ${f.remediation.summary}`);
  return lines.join('\n');
}
