import { readFileSync } from 'node:fs';

/**
 * AWS KMS list prices, read from the data file data/kms-prices.json so they
 * can be updated (with their sources and the date they were checked) without
 * touching code or rebuilding. src/services/kms/cost.ts does the arithmetic.
 */
export interface KmsPrices {
  currency: string;
  source: string;
  /** The date the figures were last checked against the sources. */
  checked: string;
  sources: string[];
  /** Monthly charge of a customer managed key (each multi-Region primary and replica is one). */
  customerManagedKeyMonthlyUsd: number;
  /** Monthly charge each billed rotation adds. */
  rotationMonthlyUsd: number;
  /** How many rotations are billed; later ones are free. */
  billedRotations: number;
  /** AWS managed and AWS owned keys. */
  awsManagedKeyMonthlyUsd: number;
  /** Customer managed keys scheduled for deletion. */
  pendingDeletionMonthlyUsd: number;
  /** Symmetric key requests (Encrypt, Decrypt, GenerateDataKey, …), per 10,000 beyond the free tier. */
  symmetricRequestsPer10000Usd: number;
  /** Free requests per month, all regions together. */
  freeRequestsPerMonth: number;
  notes: string[];
}

const NUMBERS = [
  'customerManagedKeyMonthlyUsd',
  'rotationMonthlyUsd',
  'billedRotations',
  'awsManagedKeyMonthlyUsd',
  'pendingDeletionMonthlyUsd',
  'symmetricRequestsPer10000Usd',
  'freeRequestsPerMonth',
] as const;

/** Reads and checks the price file; a broken file is a clear error naming it, never a silent zero. */
export function loadKmsPrices(url: URL = new URL('../../../data/kms-prices.json', import.meta.url)): KmsPrices {
  const data = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  for (const field of NUMBERS) {
    if (typeof data[field] !== 'number' || !Number.isFinite(data[field]) || (data[field] as number) < 0) {
      throw new Error(`${url.pathname}: "${field}" must be a non-negative number`);
    }
  }
  for (const field of ['currency', 'source', 'checked'] as const) {
    if (typeof data[field] !== 'string' || !data[field]) throw new Error(`${url.pathname}: "${field}" must be a non-empty string`);
  }
  return { sources: [], notes: [], ...data } as unknown as KmsPrices;
}

let shipped: KmsPrices | undefined;

/**
 * The shipped price file, read on first use — not when the module is
 * imported, so loading the rules does no I/O and a broken file is reported
 * by the command that needs the prices.
 */
export function kmsPrices(): KmsPrices {
  shipped ??= loadKmsPrices();
  return shipped;
}
