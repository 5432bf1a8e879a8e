import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Files and folders named on the command line, as the .json files they mean:
 * a file as it is, a folder as its .json files in name order (so a run gives
 * the same result whatever the directory order). A path that cannot be read,
 * or a folder without a .json file, is a usage error naming it; `what` says
 * what the files are ("inventory "), for the message.
 */
export function expandJsonPaths(paths: readonly string[], what = ''): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      throw new UsageError(`cannot read ${what}${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    if (stat.isDirectory()) {
      const inside = readdirSync(path).filter((f) => f.endsWith('.json')).sort();
      if (inside.length === 0) throw new UsageError(`${what}folder ${path} holds no .json files`);
      files.push(...inside.map((f) => join(path, f)));
    } else {
      files.push(path);
    }
  }
  return files;
}
