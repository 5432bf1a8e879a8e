import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { fixPlanFor } from '../iac/fixes.js';
import { loadIacKnowledge } from '../iac/kinds.js';
import type { Report } from '../model/report.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { fixFileName, renderFixFile, type FixFormat, type ResourceFixes } from '../report/fix-files.js';
import { formatSchemaErrors, validator } from '../schema.js';
import type { FixFlags } from './flags.js';
import { writeOutput } from './output.js';


/**
 * `atrest fix REPORT.json --format terraform|cloudformation|cli [--output DIR]`:
 * for the failing findings of a report (live or pre-deploy), one file per
 * resource with the change as code, or the AWS CLI commands with the real
 * identifiers. The key comes from the policy (remediation.defaultKey, else
 * its allowed keys), else a placeholder that says what to put there.
 */
export async function runFix(reportPath: string, flags: FixFlags): Promise<number> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read report ${reportPath}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (data && typeof data === 'object' && (data as { kind?: unknown }).kind === 'atrest-inventory') {
    throw new UsageError(`${reportPath} is an inventory, not a report: evaluate it first (atrest evaluate ${reportPath} --format json --output report.json)`);
  }
  const validate = validator('report.schema.json');
  if (!validate(data)) {
    throw new UsageError(`${reportPath} does not match schema/report.schema.json (expected the JSON report of atrest scan, evaluate or iac --format json):\n  ${formatSchemaErrors(validate.errors).join('\n  ')}`);
  }
  const report = data as Report;
  const policy = resolvePolicy(flags.policy);
  const resources = new Map(report.resources.map((r) => [r.arn, r]));
  const keys = new Map(report.keys.map((k) => [k.arn, k]));
  const knowledge = await loadIacKnowledge();
  const byResource = new Map<string, ResourceFixes>();
  for (const finding of report.findings) {
    if (finding.status !== 'fail') continue;
    const resource = resources.get(finding.resourceArn);
    if (!resource) continue; // SCAN.INCOMPLETE and other findings about no single resource: nothing to write
    const planned = fixPlanFor(finding, resource, policy, { resources, keys }, knowledge);
    const on = planned?.on ?? resource;
    const entry = byResource.get(on.arn) ?? { resource: on, items: [] };
    entry.items.push({ finding, plan: planned?.plan ?? null, key: planned?.key ?? null });
    byResource.set(on.arn, entry);
  }
  if (byResource.size === 0) {
    process.stdout.write(`atrest: no failing finding about a resource in ${reportPath}: nothing to fix\n`);
    return 0;
  }
  const taken = new Set<string>();
  const files = [...byResource.values()]
    .sort((a, b) => (a.resource.arn < b.resource.arn ? -1 : 1))
    .map((entry) => ({ name: fixFileName(entry.resource, flags.format, taken), text: renderFixFile(entry, flags.format) }));
  if (flags.output) {
    try {
      mkdirSync(flags.output, { recursive: true });
      for (const file of files) writeFileSync(join(flags.output, file.name), file.text, { mode: flags.format === 'cli' ? 0o755 : 0o644 });
    } catch (error) {
      throw new UsageError(`cannot write to ${flags.output}: ${(error as Error).message}`);
    }
    process.stdout.write(`wrote ${files.length} file(s) to ${flags.output}:\n${files.map((f) => `  ${f.name}\n`).join('')}`);
    return 0;
  }
  writeOutput(files.map((f) => `# ==> ${f.name} <==\n${f.text}`).join('\n'), undefined);
  return 0;
}
