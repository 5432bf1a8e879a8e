import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, accessSync, constants, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

/**
 * Where a report's bytes go, written so that the output never lies:
 *
 * - a file is written to a temporary file in the same folder, flushed to
 *   disk, then renamed over the target: a full disk, an I/O error or a crash
 *   leaves the previous file (or none), never a truncated one;
 * - stdout (no path, or `-`) is written with blocking writes whose errors
 *   are seen at once, so ENOSPC (`> /dev/full`) or EIO is one clear line and
 *   exit 2 rather than a truncated report with exit 0 or 1;
 * - chunks are gathered into large writes, so a generator of small pieces
 *   (src/report/json-stream.ts) costs no more than one big string, and a
 *   report never has to fit in one string.
 *
 * A reader that closes the pipe early (`atrest evaluate … | head`) is its
 * own choice: that is OutputClosed, and the command exits with the code the
 * report decided, as before.
 */

/** A write failed: the CLI prints the message on one line and exits 2 (UsageError). */
export class OutputError extends UsageError {
  override readonly name = 'UsageError';
}

/** The reader of stdout went away (EPIPE): stop writing; not an error. */
export class OutputClosed extends Error {}

const CHUNK = 1 << 20;

/** True when `path` means stdout. */
export function isStdout(path: string | undefined): boolean {
  return path === undefined || path === '-';
}

/** The name to print for an output. */
export function outputName(path: string | undefined): string {
  return isStdout(path) ? 'stdout' : path!;
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EPIPE: 'the reader closed the pipe',
  EFBIG: 'file too large',
  EBADF: 'not open for writing',
};

/** "no space left on the device (ENOSPC)", or the system's own message for other codes. */
export function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const text = e.code && REASONS[e.code] ? REASONS[e.code]! : (e.message ?? String(error)).replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return e.code ? `${text} (${e.code})` : text;
}

/** Temporary files being written, removed if the process is stopped by a signal. */
const pending = new Set<string>();
let handlersInstalled = false;

/**
 * Removes the temporary files of writes still under way. Every handler that
 * ends the process on a signal calls it (this module's and the live
 * commands' guard in interrupt.ts, whichever runs first), so no signal leaves
 * a half-written temporary file beside the target.
 */
export function removePendingFiles(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      removePendingFiles();
      process.exit(code);
    });
  }
}

/** Sleeps without spinning (stdout may be a non-blocking pipe: EAGAIN means wait). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        pause(2);
        continue;
      }
      throw error;
    }
  }
}

/** Gathers text chunks into writes of about 1 MiB to `fd`; byte chunks are written as they are. */
function pump(fd: number, chunks: Iterable<string | Uint8Array>): number {
  let parts: string[] = [];
  let size = 0;
  let total = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    const data = Buffer.from(parts.join(''), 'utf8');
    writeAll(fd, data);
    total += data.length;
    parts = [];
    size = 0;
  };
  for (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      flush();
      const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      writeAll(fd, data);
      total += data.length;
      continue;
    }
    parts.push(chunk);
    size += chunk.length;
    if (size >= CHUNK) flush();
  }
  flush();
  return total;
}

/**
 * Writes `chunks` to `path` atomically, or to stdout when `path` is absent or
 * `-`. Throws OutputError (exit 2) on a failed write, OutputClosed when the
 * reader of stdout went away. Returns the bytes written.
 */
export function writeChunks(path: string | undefined, chunks: Iterable<string | Uint8Array>): number {
  if (isStdout(path)) {
    try {
      return pump(1, chunks);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosed('stdout closed');
      if (error instanceof UsageError) throw error;
      throw new OutputError(`cannot write the report to stdout: ${reason(error)}; the output is incomplete`, { cause: error });
    }
  }
  const target = resolve(path!);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  installSignalCleanup();
  pending.add(tmp);
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const total = pump(fd, chunks);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    pending.delete(tmp);
    return total;
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the write error is the one to report
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    pending.delete(tmp);
    if (error instanceof UsageError) throw error;
    throw new OutputError(`cannot write ${path}: ${reason(error)}; ${existed(target) ? 'the previous file is unchanged' : 'no file was written'}`, { cause: error });
  }
}

/**
 * Appends `chunks` to `path` (the GitHub step summary, which other steps
 * write too: it cannot be replaced). Errors as writeChunks.
 */
export function appendChunks(path: string, chunks: Iterable<string | Uint8Array>): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'a');
    pump(fd, chunks);
    closeSync(fd);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // reported below
      }
    }
    throw new OutputError(`cannot append the step summary to ${path}: ${reason(error)}`, { cause: error });
  }
}

function existed(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks, before any work starts, that `path` can be written: its folder
 * exists and is writable, and it is not a folder itself. `what` names the
 * flag in the message.
 */
export function checkWritable(path: string, what: string): void {
  if (isStdout(path)) return;
  const target = resolve(path);
  const folder = dirname(target);
  let stat;
  try {
    stat = statSync(folder);
  } catch {
    throw new UsageError(`${what}: cannot write ${path}: the folder ${folder} does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${what}: cannot write ${path}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${what}: cannot write ${path}: the folder ${folder} is not writable`);
  }
  try {
    if (statSync(target).isDirectory()) throw new UsageError(`${what}: ${path} is a folder; name a file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
}

/** One file a command reads or writes, for the same-file check. */
export interface NamedPath {
  /** The flag or argument that names it, e.g. `--report json=x.json`. */
  what: string;
  path: string;
  role: 'input' | 'output';
}

/** A path as the file system sees it: the real path of what exists, else the resolved path in its real folder. */
function identity(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Refuses (exit 2) two outputs naming the same file, an output naming an
 * input, and more than one output on stdout: one would silently overwrite
 * or interleave with the other.
 */
export function refuseClashes(paths: readonly NamedPath[]): void {
  const outputs = paths.filter((p) => p.role === 'output');
  const onStdout = outputs.filter((p) => isStdout(p.path));
  if (onStdout.length > 1) {
    throw new UsageError(`${onStdout.map((p) => p.what).join(' and ')} all write to stdout; send all but one to a file (only one output can go to stdout)`);
  }
  const seen = new Map<string, NamedPath>();
  for (const p of paths) {
    if (isStdout(p.path)) continue;
    const id = identity(p.path);
    const before = seen.get(id);
    if (before && (before.role === 'output' || p.role === 'output')) {
      const [out, other] = before.role === 'output' ? [before, p] : [p, before];
      const verb = other.role === 'input' ? 'would overwrite the input named by' : 'names the same file as';
      throw new UsageError(`${out.what} ${verb} ${other.what} (${p.path}); choose another file`);
    }
    if (!before || p.role === 'output') seen.set(id, p);
  }
}
