import type { AwsFlags, OutputFormat, ReportFlags } from './flags.js';
import type { Inventory } from '../model/inventory.js';
import { renderKeysTable } from '../report/keys-table.js';
import { evaluate } from '../engine/engine.js';
import { buildKeysReport } from '../engine/keys-view.js';
import { resolvePolicy } from '../policy/policy-file.js';
import type { InterruptGuard } from './interrupt.js';
import { createLogger, warnMergeConflicts, writeJson, writeView } from './output.js';
import type { ScanProgress } from './progress.js';
import { keysSummaryLine } from './summary-line.js';

export interface KeysFlags extends AwsFlags, Omit<ReportFlags, 'format'> {
  /** The key view is a table or JSON (no SARIF/JUnit: those render reports). */
  format: OutputFormat;
  /** Offline: inventory files or folders instead of AWS. */
  inventory?: string[];
  saveInventory?: string;
}

/**
 * `atrest keys`: the key-centred view. Offline with --inventory (no AWS
 * module is loaded), otherwise a live scan that always includes the KMS
 * service, since the view is about keys. The exit code follows the CI
 * contract over the key findings only.
 */
export async function runKeys(flags: KeysFlags): Promise<number> {
  const policy = resolvePolicy(flags.policy);
  const { inventory, progress, guard } = flags.inventory ? { inventory: await offline(flags.inventory, flags.debug), progress: undefined, guard: undefined } : await live(flags);
  try {
    const report = evaluate(inventory, policy, { failOn: flags.failOn });
    const view = buildKeysReport(report, flags.failOn);
    writeView(flags.format, flags.output, view, (target) => renderKeysTable(view, target));
    guard?.written();
    progress?.summary(keysSummaryLine(view, inventory, flags.output));
    return view.outcome.exitCode;
  } finally {
    guard?.release();
  }
}

async function offline(paths: string[], debug: boolean | undefined): Promise<Inventory> {
  const { readInventories } = await import('../inventory-file.js');
  const { inventory, conflicts } = readInventories(paths);
  warnMergeConflicts(conflicts, debug);
  return inventory;
}

async function live(flags: KeysFlags): Promise<{ inventory: Inventory; progress: ScanProgress; guard: InterruptGuard }> {
  const log = createLogger(flags.debug);
  const { collectSession, endSession, openSession, sayIfStopped, sessionProgress } = await import('./aws-session.js');
  const { guardInterrupts } = await import('./interrupt.js');
  const { implementedServices } = await import('../collect/checks.js');
  // The view is about keys: scan KMS whatever --services says.
  const services = flags.services ? [...new Set([...flags.services, 'kms' as const])] : implementedServices();
  const session = await openSession({ ...flags, services }, log);
  const progress = sessionProgress(session, flags);
  // Released by runKeys once the view is written.
  const guard = guardInterrupts(() => {
    progress.end();
    endSession(session);
  });
  try {
    const { inventory } = await collectSession(session, flags, log, progress);
    if (flags.saveInventory) writeJson(inventory, flags.saveInventory);
    sayIfStopped(session);
    return { inventory, progress, guard };
  } catch (error) {
    guard.release();
    throw error;
  } finally {
    progress.end();
    endSession(session);
  }
}
