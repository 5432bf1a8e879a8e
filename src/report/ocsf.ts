import { createHash } from 'node:crypto';
import type { Finding, Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { JsonSequence, jsonChunks } from './json-stream.js';

/**
 * OCSF 1.3.0 Detection Finding (class_uid 2004, category Findings), one
 * event per failing or unknown finding, as a JSON array — the shape
 * Security Lake custom sources and OCSF pipelines take. Checked against the
 * OCSF 1.3.0 schema in the tests (fixtures/ocsf/).
 *
 * Places: the resource in `resources[]` (uid = ARN, the cloud profile's
 * region and partition), the account in `cloud.account`, atrest's severity
 * in `severity_id`/`severity`, the rule in `finding_info.analytic` (type
 * Rule), the fix in `remediation` (desc, the AWS documentation page in
 * references). Detection Finding has no compliance attribute in OCSF 1.3.0
 * (the compliance object belongs to Compliance Finding, class 2003), so the
 * control ids go where OCSF puts attributes its class does not define:
 * `unmapped.compliance`. An unknown result is a finding whose status_detail
 * says it could not be decided.
 */
export const OCSF_VERSION = '1.3.0';

const SEVERITY_ID: Record<Severity, [number, string]> = {
  critical: [5, 'Critical'],
  high: [4, 'High'],
  medium: [3, 'Medium'],
  low: [2, 'Low'],
  info: [1, 'Informational'],
};

function resourceName(arn: string): string {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? parts.slice(5).join(':') : arn;
}

export function ocsfEvent(report: Report, f: Finding): Record<string, unknown> {
  const [severityId, severity] = SEVERITY_ID[f.severity];
  const time = Date.parse(report.scan.finishedAt);
  const account = f.resourceArn.split(':')[4] || report.scan.accountId;
  const unknown = f.status === 'unknown';
  return {
    activity_id: 1,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2004,
    class_name: 'Detection Finding',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    severity_id: severityId,
    severity,
    status_id: 1,
    status: 'New',
    status_detail: unknown ? `could not be decided (never counted as a pass): ${f.message}` : 'fail',
    time: Number.isFinite(time) ? time : 0,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      product: { name: report.tool.name, vendor_name: report.tool.name, version: report.tool.version },
      ...(f.baseline ? { labels: [`baseline:${f.baseline}`] } : {}),
    },
    cloud: {
      provider: 'AWS',
      ...(f.region ? { region: f.region } : {}),
      account: { uid: /^\d{12}$/.test(account) ? account : report.scan.accountId, type_id: 10, type: 'AWS Account' },
    },
    finding_info: {
      uid: createHash('sha256').update(`${f.ruleId}\n${f.resourceArn}`).digest('hex'),
      title: f.title,
      desc: f.message,
      types: [f.ruleId],
      analytic: { uid: f.ruleId, name: f.ruleId, type_id: 1, type: 'Rule' },
    },
    resources: [
      {
        uid: f.resourceArn,
        name: resourceName(f.resourceArn),
        type: `${f.service}:${f.resourceType}`,
        cloud_partition: report.scan.partition,
        ...(f.region ? { region: f.region } : {}),
      },
    ],
    ...(f.remediation ? { remediation: { desc: f.remediation.summary, references: [f.remediation.docs] } } : {}),
    ...(f.compliance.length > 0 ? { unmapped: { compliance: f.compliance.map((c) => ({ ...c })) } } : {}),
  };
}

/** The events as JSON.stringify(events, null, 2) + "\n" writes them, each made when it is written. */
export function ocsfChunks(report: Report): Iterable<string> {
  const failing = report.findings.filter((f) => f.status === 'fail' || f.status === 'unknown');
  return jsonChunks(new JsonSequence(failing.length, (function* () {
    for (const f of failing) yield ocsfEvent(report, f);
  })()), 1);
}
