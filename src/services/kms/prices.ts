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
  /** Request prices (the pricing page's "Key usage" lines), with their own source and date. */
  requestPrices: RequestPrices;
  /** Documented default request quotas: the fallback when Service Quotas does not answer. */
  requestQuotas: DefaultRequestQuotas;
}

/** The pricing page's request lines, by the name atrest gives each. */
export const REQUEST_PRICE_CLASSES = ['requests', 'rsa2048', 'asymmetric', 'generateDataKeyPairEcc', 'generateDataKeyPairRsa'] as const;
export type RequestPriceClass = (typeof REQUEST_PRICE_CLASSES)[number];

export interface RequestPrice {
  usdPer10000: number;
  /** Whether the 20,000 free requests a month cover it. */
  freeTier: boolean;
  covers: string;
}

export interface RequestPrices {
  source: string;
  checked: string;
  notes: string[];
  classes: Record<RequestPriceClass, RequestPrice>;
}

/**
 * How a quota's calls are priced: a request price class, or `rsa` — the
 * shared RSA quota counts RSA 2048 requests ($0.03) and other RSA requests
 * ($0.15) alike, so its price depends on the keys behind the calls.
 */
export type QuotaPricing = RequestPriceClass | 'rsa';
export const QUOTA_PRICINGS: readonly QuotaPricing[] = [...REQUEST_PRICE_CLASSES, 'rsa'];

export interface DefaultRequestQuota {
  name: string;
  code: string | null;
  defaultPerSecond: number;
  /** Regions whose default differs from defaultPerSecond. */
  byRegion?: Record<string, number>;
  /** The AWS/Usage CallCount Resource dimension that measures it; null when unknown. */
  usageResource: string | null;
  pricing: QuotaPricing;
  operations?: string[];
}

export interface DefaultRequestQuotas {
  source: string;
  checked: string;
  notes: string[];
  quotas: DefaultRequestQuota[];
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
  checkRequestPrices(url, data.requestPrices);
  checkRequestQuotas(url, data.requestQuotas);
  return { sources: [], notes: [], ...data } as unknown as KmsPrices;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSourced(url: URL, field: string, value: unknown): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${url.pathname}: "${field}" must be an object`);
  for (const key of ['source', 'checked'] as const) {
    if (typeof value[key] !== 'string' || !value[key]) throw new Error(`${url.pathname}: "${field}.${key}" must be a non-empty string`);
  }
  if (!Array.isArray(value.notes)) value.notes = [];
}

function nonNegative(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkRequestPrices(url: URL, value: unknown): void {
  checkSourced(url, 'requestPrices', value);
  const classes = value.classes;
  if (!isRecord(classes)) throw new Error(`${url.pathname}: "requestPrices.classes" must be an object`);
  for (const name of REQUEST_PRICE_CLASSES) {
    const c = classes[name];
    if (!isRecord(c) || !nonNegative(c.usdPer10000) || typeof c.freeTier !== 'boolean') {
      throw new Error(`${url.pathname}: "requestPrices.classes.${name}" must have a non-negative "usdPer10000" and a boolean "freeTier"`);
    }
  }
}

function checkRequestQuotas(url: URL, value: unknown): void {
  checkSourced(url, 'requestQuotas', value);
  if (!Array.isArray(value.quotas) || value.quotas.length === 0) throw new Error(`${url.pathname}: "requestQuotas.quotas" must be a non-empty list`);
  value.quotas.forEach((q: unknown, i: number) => {
    const at = `${url.pathname}: "requestQuotas.quotas[${i}]"`;
    if (!isRecord(q) || typeof q.name !== 'string' || !q.name) throw new Error(`${at} needs a "name"`);
    if (!nonNegative(q.defaultPerSecond) || q.defaultPerSecond === 0) throw new Error(`${at} ("${q.name}"): "defaultPerSecond" must be a positive number`);
    if (!QUOTA_PRICINGS.includes(q.pricing as QuotaPricing)) throw new Error(`${at} ("${q.name}"): "pricing" must be one of ${QUOTA_PRICINGS.join(', ')}`);
    if (q.code !== null && typeof q.code !== 'string') throw new Error(`${at} ("${q.name}"): "code" must be a string or null`);
    if (q.usageResource !== null && typeof q.usageResource !== 'string') throw new Error(`${at} ("${q.name}"): "usageResource" must be a string or null`);
    if (q.byRegion !== undefined && (!isRecord(q.byRegion) || !Object.values(q.byRegion).every((v) => nonNegative(v) && v !== 0))) {
      throw new Error(`${at} ("${q.name}"): "byRegion" must map Regions to positive numbers`);
    }
  });
}

/** The documented default of a quota in a Region. */
export function defaultQuotaValue(quota: DefaultRequestQuota, region: string): number {
  return quota.byRegion?.[region] ?? quota.defaultPerSecond;
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
