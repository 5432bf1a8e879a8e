import type { ServiceMatrixEntry } from '../model/matrix.js';
import type { Remediation } from '../model/report.js';

/** A service's matrix remediation, as a report remediation (a fresh copy: callers may adjust it). */
export function matrixRemediation(entry: ServiceMatrixEntry): Remediation {
  const r = entry.remediation;
  const out: Remediation = { summary: r.summary, path: entry.remediationPath, steps: [...r.steps], docs: entry.docs };
  if (r.cli) out.cli = r.cli;
  if (r.terraform) out.terraform = r.terraform;
  if (r.cloudformation) out.cloudformation = r.cloudformation;
  return out;
}
