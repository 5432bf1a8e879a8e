import { runCli, type CliResult } from '../helpers/cli.js';

/** Runs `atrest iac … --format json` as a user would; the report parsed, with the exit code and stderr. */
export function iacJson(args: string[], options: { cwd?: string } = {}): CliResult & { report: any } {
  const result = runCli(['iac', ...args, '--format', 'json'], options);
  let report: any = null;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    // left null: the caller's expectation on the exit code says why
  }
  return { ...result, report };
}

/** The failing (or other status) findings as [ruleId, resource id] pairs, sorted. */
export function findingPairs(report: any, status = 'fail'): string[][] {
  const ids = new Map<string, string>(report.resources.map((r: any) => [r.arn, r.id]));
  return report.findings
    .filter((f: any) => f.status === status)
    .map((f: any) => [f.ruleId, ids.get(f.resourceArn) ?? f.resourceArn])
    .sort((a: string[], b: string[]) => (a.join() < b.join() ? -1 : 1));
}

export function resourceById(report: any, id: string): any {
  const found = report.resources.find((r: any) => r.id === id);
  if (!found) throw new Error(`no resource ${id} in the report (have ${report.resources.map((r: any) => r.id).join(', ')})`);
  return found;
}

export function findingsOf(report: any, id: string): any[] {
  const arn = resourceById(report, id).arn;
  return report.findings.filter((f: any) => f.resourceArn === arn);
}
