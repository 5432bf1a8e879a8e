import type { AwsFlags, ReportFlags } from '../cli.js';
import { resolvePolicy } from '../policy-file.js';
import { evaluate } from '../rules/engine.js';
import { collectSession, openSession } from './aws-session.js';
import { createLogger, renderReport, writeOutput } from './output.js';

/** `atrest scan`: collect, evaluate and report in one go. Returns the exit code. */
export async function runScan(flags: AwsFlags & ReportFlags & { saveInventory?: string }): Promise<number> {
  const log = createLogger(flags.debug);
  const policy = resolvePolicy(flags.policy);
  const session = await openSession(flags, log);
  try {
    const { inventory, describeKeyCalls } = await collectSession(session, flags, log);
    log(`collected ${inventory.resources.length} resources, ${inventory.keys.length} keys (${describeKeyCalls} DescribeKey calls), ${inventory.scan.errors.length} errors`);
    if (flags.saveInventory) writeOutput(`${JSON.stringify(inventory, null, 2)}\n`, flags.saveInventory);
    const report = evaluate(inventory, policy, { failOn: flags.failOn, ...(flags.compliance ? { compliance: flags.compliance } : {}) });
    writeOutput(renderReport(report, flags.format, flags.output, { showSuppressed: Boolean(flags.showSuppressed) }), flags.output);
    return report.outcome.exitCode;
  } finally {
    session.clients.destroy();
  }
}
