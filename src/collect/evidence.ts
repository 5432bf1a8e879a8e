import type { Json } from '../model/inventory.js';

/**
 * Small helpers shared by the checks to turn SDK output into inventory JSON.
 * Dates become ISO strings (Date#toJSON), undefined fields are dropped.
 */

/** Any SDK value as JSON (dates as ISO strings); undefined becomes null. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** The named fields of an SDK record that are present, as JSON evidence. */
export function pickEvidence<T extends object>(record: T, fields: ReadonlyArray<keyof T & string>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const field of fields) {
    const value = record[field];
    if (value !== undefined) out[field] = toJson(value);
  }
  return out;
}

/**
 * An API tag list (EC2 `Tags`, RDS `TagList`, Redshift, S3 `TagSet`,
 * DynamoDB `Tags`) as a plain map. An empty or absent list is `{}`: the
 * describe call answered and the resource has no tags, which is a fact tag
 * overrides can rely on (a resource whose tags could not be read carries
 * `tagsError` and no `tags` instead).
 */
export function tagMap(tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  }
  return out;
}

/**
 * A JSON document an API returns as text (a bucket policy), as evidence: the
 * parsed document, or the text itself when it does not parse. Policies hold
 * no secrets but can be long: kept whole for auditors.
 */
export function jsonTextEvidence(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** An ISO timestamp from an SDK Date (or a string an emulator sent), or null. */
export function isoDate(value: Date | string | undefined): string | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
