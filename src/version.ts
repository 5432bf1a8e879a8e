import { readFileSync } from 'node:fs';

/**
 * The version in package.json, read once. Read at run time rather than
 * compiled in so there is one place to bump it.
 */
export const TOOL_NAME = 'atrest';

export const TOOL_VERSION: string = (() => {
  const url = new URL('../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
})();
