import type { ScanError } from '../model/inventory.js';

/** Locale-independent string comparison, so output is byte-identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts a copy by the keys `by` returns, compared left to right. */
export function sortBy<T>(items: readonly T[], by: (item: T) => Array<string | number>): T[] {
  return [...items].sort((x, y) => {
    const kx = by(x);
    const ky = by(y);
    for (let i = 0; i < kx.length; i += 1) {
      const a = kx[i]!;
      const b = ky[i]!;
      if (a === b) continue;
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      return compareStrings(String(a), String(b));
    }
    return 0;
  });
}

/** Scan errors in a stable order (account, service, region, operation, resource, code, message). */
export function sortErrors(errors: ScanError[]): ScanError[] {
  return sortBy(errors, (e) => [e.accountId ?? '', e.service, e.region, e.operation, e.resourceArn ?? '', e.code, e.message]);
}
