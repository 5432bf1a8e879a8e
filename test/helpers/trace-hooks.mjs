import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.ATREST_TRACE_FILE) appendFileSync(process.env.ATREST_TRACE_FILE, `${specifier} -> ${result.url}\n`);
  return result;
}
