import type { AwsFlags } from './flags.js';
import { EXIT } from '../exit-codes.js';
import { collectSession, endSession, openSession, sayIfStopped } from './aws-session.js';
import { guardInterrupts } from './interrupt.js';
import { createLogger, writeJson } from './output.js';

/** `atrest collect`: the inventory only, for `evaluate` later. Exit 3 when anything could not be read. */
export async function runCollect(flags: AwsFlags & { output?: string }): Promise<number> {
  const log = createLogger(flags.debug);
  const session = await openSession(flags, log);
  const guard = guardInterrupts(() => endSession(session));
  try {
    const { inventory } = await collectSession(session, flags, log);
    writeJson(inventory, flags.output);
    guard.written();
    sayIfStopped(session);
    if (inventory.scan.errors.length > 0) {
      process.stderr.write(`atrest: ${inventory.scan.errors.length} call(s) failed; the inventory records them and "evaluate" will report them as unknown\n`);
      return EXIT.INCOMPLETE;
    }
    return EXIT.OK;
  } finally {
    guard.release();
    endSession(session);
  }
}
