import { createHash } from 'node:crypto';
import { compareStrings } from './sort.js';

/**
 * JSON with every object's keys sorted (arrays keep their order), so two
 * values with the same content give the same text whatever order their keys
 * were written in. Otherwise as JSON.stringify: `undefined` members are left
 * out of objects and become null in arrays; toJSON is honoured.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** SHA-256 (hex) of canonicalJson(value). */
export function canonicalDigest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) as string | undefined;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort(compareStrings)) {
    const text = write((value as Record<string, unknown>)[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
