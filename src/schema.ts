import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';

/**
 * The published JSON Schemas (schema/*.json), compiled once. The same files
 * users validate against are the ones atrest checks its own input with.
 */
// ajv and ajv-formats are CommonJS modules whose default export does not
// survive ESM interop under NodeNext typing: load them with require.
const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { default: new (options: Record<string, unknown>) => AjvInstance }).default;
const addFormats = (require('ajv-formats') as { default: (ajv: AjvInstance) => AjvInstance }).default;

function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

let ajv: AjvInstance | undefined;

function instance(): AjvInstance {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    ajv.addSchema(loadSchema('inventory.schema.json'), 'inventory.schema.json');
    ajv.addSchema(loadSchema('report.schema.json'), 'report.schema.json');
    ajv.addSchema(loadSchema('keys.schema.json'), 'keys.schema.json');
    ajv.addSchema(loadSchema('policy.schema.json'), 'policy.schema.json');
    ajv.addSchema(loadSchema('rules.schema.json'), 'rules.schema.json');
  }
  return ajv;
}

export function validator(name: 'inventory.schema.json' | 'report.schema.json' | 'keys.schema.json' | 'policy.schema.json' | 'rules.schema.json'): ValidateFunction {
  const fn = instance().getSchema(name);
  if (!fn) throw new Error(`schema ${name} not loaded`);
  return fn;
}

/** "/resources/3/protection/level: must be equal to one of the allowed values (none, aws-owned, …)" */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined, limit = 20): string[] {
  const lines = (errors ?? []).map((e) => {
    const where = e.instancePath || '(top level)';
    const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    return `${where}: ${e.message ?? 'invalid'}${allowed}`;
  });
  const unique = [...new Set(lines)];
  return unique.length > limit ? [...unique.slice(0, limit), `… and ${unique.length - limit} more`] : unique;
}
