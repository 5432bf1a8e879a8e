import type { ServiceName } from '../model/services.js';
import type { Remediation } from '../model/report.js';
import { MATRIX } from '../model/matrix.js';

/** The matrix's remediation for a service, as a report remediation. */
export function matrixRemediation(service: ServiceName): Remediation {
  const entry = MATRIX[service];
  const r = entry.remediation;
  const out: Remediation = { summary: r.summary, path: entry.remediationPath, steps: [...r.steps], docs: entry.docs };
  if (r.cli) out.cli = r.cli;
  if (r.terraform) out.terraform = r.terraform;
  if (r.cloudformation) out.cloudformation = r.cloudformation;
  return out;
}
