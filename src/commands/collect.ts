import type { AwsFlags } from './flags.js';
import { EXIT } from '../exit-codes.js';
import { collectSession, endSession, openSession, sayIfStopped, sessionProgress } from './aws-session.js';
import { guardInterrupts } from './interrupt.js';
import { createLogger, writeJson } from './output.js';
import { inventorySummaryLine } from './summary-line.js';

/** `atrest collect`: the inventory only, for `evaluate` later. Exit 3 when anything could not be read. */
export async function runCollect(flags: AwsFlags & { output?: string }): Promise<number> {
  const log = createLogger(flags.debug);
  const session = await openSession(flags, log);
  const progress = sessionProgress(session, flags);
  const guard = guardInterrupts(() => {
    progress.end();
    endSession(session);
  });
  try {
    const { inventory } = await collectSession(session, flags, log, progress);
    progress.end();
    writeJson(inventory, flags.output);
    guard.written();
    sayIfStopped(session);
    const code = inventory.scan.errors.length > 0 ? EXIT.INCOMPLETE : EXIT.OK;
    if (code === EXIT.INCOMPLETE) {
      process.stderr.write(`atrest: ${inventory.scan.errors.length} call(s) failed; the inventory records them and "evaluate" will report them as unknown\n`);
    }
    progress.summary(inventorySummaryLine(inventory, flags.output, code));
    return code;
  } finally {
    guard.release();
    progress.end();
    endSession(session);
  }
}
