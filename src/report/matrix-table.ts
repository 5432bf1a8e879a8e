import { REMEDIATION_PATHS, type ServiceMatrixEntry } from '../model/matrix.js';
import { plainTable, type TableTarget } from './style.js';

/** `atrest matrix` as a table: one row per service, and one per resource type that has a row of its own (named service:type). */
export function renderMatrixTable(entries: readonly ServiceMatrixEntry[], { style, width }: TableTarget): string {
  const yesNo = (v: boolean | null): string => (v === null ? 'n/a (always on)' : v ? 'yes' : 'no');
  const table = plainTable({
    head: ['service', 'encrypted by default', 'possible levels', 'granularity', 'enable later', 'change key', 'remediation path'],
    colWidths: fit(width),
    wordWrap: true,
  });
  for (const e of entries) {
    const since = e.defaultSince ? ` since ${e.defaultSince}` : '';
    table.push([
      style.bold(label(e, entries)),
      `${e.encryptedByDefault}${since} (${e.defaultLevel})`,
      e.possibleLevels.join(', '),
      e.granularity,
      yesNo(e.enableAfterCreation),
      e.changeKeyAfterCreation ? 'yes' : 'no',
      e.remediationPath,
    ]);
  }
  const legend = Object.entries(REMEDIATION_PATHS).map(([path, meaning]) => `  ${path}: ${meaning}`);
  const docs = entries.map((e) => `  ${label(e, entries)}: ${e.docs}`);
  return `${table.toString()}\n\nRemediation paths:\n${legend.join('\n')}\n\nSources:\n${docs.join('\n')}\n`;
}

function fit(width: number): number[] {
  const w = Math.max(width, 110) - 8;
  const cols = [10, 22, 28, 24, 12, 8, 0];
  cols[6] = Math.max(16, w - cols.slice(0, 6).reduce((a, b) => a + b, 0));
  return cols;
}

/** The service, or service:type for a service's further rows (S3 directory buckets, DAX). */
function label(entry: ServiceMatrixEntry, entries: readonly ServiceMatrixEntry[]): string {
  const first = entries.find((e) => e.service === entry.service);
  return first === entry ? entry.service : `${entry.service}:${entry.resourceTypes.join(',')}`;
}
