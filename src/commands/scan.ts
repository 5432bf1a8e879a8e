import type { AwsFlags, ReportFlags } from './flags.js';
import { resolvePolicy } from '../policy/policy-file.js';
import { collectSession, endSession, openSession, sayIfStopped } from './aws-session.js';
import { guardInterrupts } from './interrupt.js';
import { createLogger, writeJson } from './output.js';
import { writeReport } from './report.js';

/** `atrest scan`: collect, evaluate and report in one go. Returns the exit code. */
export async function runScan(flags: AwsFlags & ReportFlags & { saveInventory?: string }): Promise<number> {
  const log = createLogger(flags.debug);
  const policy = resolvePolicy(flags.policy);
  const session = await openSession(flags, log);
  const guard = guardInterrupts(() => endSession(session));
  try {
    const { inventory, describeKeyCalls } = await collectSession(session, flags, log);
    log(`collected ${inventory.resources.length} resources, ${inventory.keys.length} keys (${describeKeyCalls} DescribeKey calls), ${inventory.scan.errors.length} errors`);
    if (flags.saveInventory) writeJson(inventory, flags.saveInventory);
    const code = writeReport(inventory, policy, flags);
    guard.written();
    sayIfStopped(session);
    return code;
  } finally {
    guard.release();
    endSession(session);
  }
}
