import type { ScanCoverage, ScanInfo } from './inventory.js';
import type { ServiceName } from './services.js';

/**
 * Which services were scanned in which account and Region. A single scan
 * covers every Region it lists with every service it lists; a merged
 * inventory of scans that covered different services (or Regions, or
 * accounts) records it per account and Region in `scan.coverage`, so its
 * header never claims a service for an account or Region where no input
 * scanned it (src/inventory-file.ts writes it). Pure.
 */

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The coverage of a scan: its own list, or every listed Region of its account(s) × its services. */
export function coverageOf(scan: ScanInfo): ScanCoverage[] {
  if (scan.coverage) return scan.coverage;
  const services = [...scan.services].sort(byText);
  // Each account of a multi-account scan was read in its own regions; a failed one in none.
  const accounts = scan.accounts?.length ? scan.accounts.map((a) => ({ accountId: a.accountId, regions: a.regions })) : [{ accountId: scan.accountId, regions: scan.regions }];
  return accounts.flatMap(({ accountId, regions }) => regions.map((region) => ({ accountId, region, services })));
}

/** The services scanned in one account and Region (none when neither was scanned). */
export function servicesScannedIn(scan: ScanInfo, accountId: string, region: string): ServiceName[] {
  return coverageOf(scan).find((c) => c.accountId === accountId && c.region === region)?.services ?? [];
}

/**
 * The coverage of several scans merged: per account and Region, the union of
 * their services. Undefined when that is the whole grid (every merged account
 * × Region × service), which the plain header already says.
 */
export function mergedCoverage(scans: readonly ScanInfo[]): ScanCoverage[] | undefined {
  const cells = new Map<string, Set<ServiceName>>();
  for (const scan of scans) {
    for (const c of coverageOf(scan)) {
      const id = `${c.accountId}\u0000${c.region}`;
      const set = cells.get(id) ?? new Set<ServiceName>();
      for (const s of c.services) set.add(s);
      cells.set(id, set);
    }
  }
  const accounts = new Set([...cells.keys()].map((k) => k.split('\u0000')[0]!));
  const regions = new Set([...cells.keys()].map((k) => k.split('\u0000')[1]!));
  const services = new Set([...cells.values()].flatMap((s) => [...s]));
  const whole = cells.size === accounts.size * regions.size && [...cells.values()].every((s) => s.size === services.size);
  if (whole) return undefined;
  return [...cells.entries()]
    .map(([id, set]) => ({ accountId: id.split('\u0000')[0]!, region: id.split('\u0000')[1]!, services: [...set].sort(byText) }))
    .sort((a, b) => byText(a.accountId, b.accountId) || byText(a.region, b.region));
}
