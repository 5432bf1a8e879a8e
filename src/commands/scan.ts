import type { AwsFlags, ReportFlags } from './flags.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { collectSession, endSession, openSession, sayIfStopped, sessionProgress } from './aws-session.js';
import { guardInterrupts } from './interrupt.js';
import { createLogger, writeJson } from './output.js';
import { checkReportOutputs, policyInputs, writeReport } from './report.js';
import { reportSummaryLine } from './summary-line.js';

/** `atrest scan`: collect, evaluate and report in one go. Returns the exit code. */
export async function runScan(flags: AwsFlags & ReportFlags & { saveInventory?: string }): Promise<number> {
  const log = createLogger(flags.debug);
  const policy = resolvePolicy(flags.policy);
  // Before a scan that may take minutes: every output can be written, and none overwrites another or an input.
  checkReportOutputs(flags, policyInputs(policy), flags.saveInventory ? [{ what: '--save-inventory', path: flags.saveInventory, role: 'output' }] : []);
  const session = await openSession(flags, log);
  const progress = sessionProgress(session, flags);
  const guard = guardInterrupts(() => {
    progress.end();
    endSession(session);
  });
  try {
    const { inventory, describeKeyCalls } = await collectSession(session, flags, log, progress);
    progress.end();
    log(`collected ${inventory.resources.length} resources, ${inventory.keys.length} keys (${describeKeyCalls} DescribeKey calls), ${inventory.scan.errors.length} errors`);
    if (flags.saveInventory) writeJson(inventory, flags.saveInventory);
    const code = writeReport(inventory, policy, flags, (report, paths) => progress.summary(reportSummaryLine(report, paths)));
    guard.written();
    sayIfStopped(session);
    return code;
  } finally {
    guard.release();
    progress.end();
    endSession(session);
  }
}
