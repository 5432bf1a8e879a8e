import type { Resource } from '../model/inventory.js';

/**
 * Keys a resource depends on besides its main one, listed by the check in
 * `attributes.relatedKeys` as {role, keyArn, keyRef, level} (a Lambda
 * function's .zip package key, for one). Each is judged like the main key.
 */
export interface DependedKey {
  role: string | null;
  keyArn: string | null;
  keyRef: string | null;
  level: string | null;
}

export function relatedKeys(resource: Resource): DependedKey[] {
  const list = resource.attributes.relatedKeys;
  if (!Array.isArray(list)) return [];
  const out: DependedKey[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
    const entry = { role: str(item.role), keyArn: str(item.keyArn), keyRef: str(item.keyRef), level: str(item.level) };
    if (entry.keyArn || entry.keyRef) out.push(entry);
  }
  return out;
}
