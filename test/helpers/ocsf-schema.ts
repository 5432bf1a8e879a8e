import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

/**
 * A JSON Schema (draft-07) for one OCSF class, made from the compiled OCSF
 * schema shipped in fixtures/ocsf/ the way the OCSF server's JSON Schema
 * export makes it: each attribute's type mapped to its JSON type (through
 * the type table: timestamp_t is a long, email_t a string, …), integer enums
 * to their ids, `required` attributes required, `at_least_one` and
 * `just_one` constraints, objects by reference, no additional properties.
 * Attributes of profiles not in `profiles` are left out, as the server does
 * for a profile that is not selected.
 */
interface OcsfAttribute {
  type: string;
  object_type?: string | null;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, unknown> | null;
  profile?: string | null;
}
interface OcsfRecord {
  attributes: Record<string, OcsfAttribute>;
  constraints?: { at_least_one?: string[]; just_one?: string[] } | null;
}
interface CompiledSchema {
  version: string;
  classes: Record<string, OcsfRecord>;
  objects: Record<string, OcsfRecord>;
  types: Record<string, { type?: string }>;
}

const BASE: Record<string, string> = { string_t: 'string', integer_t: 'integer', long_t: 'integer', float_t: 'number', boolean_t: 'boolean', json_t: '', object_t: 'object' };

export function ocsfJsonSchema(className: string, profiles: readonly string[]): Record<string, unknown> {
  const compiled = JSON.parse(readFileSync(join(ROOT, 'fixtures/ocsf/ocsf-1.3.0-detection-finding.json'), 'utf8')) as CompiledSchema;
  const jsonType = (type: string): string => {
    let t = type;
    for (let i = 0; i < 5 && !(t in BASE); i += 1) t = compiled.types[t]?.type ?? 'string_t';
    return BASE[t] ?? 'string';
  };
  const definitions: Record<string, unknown> = {};
  const record = (r: OcsfRecord): Record<string, unknown> => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [name, a] of Object.entries(r.attributes)) {
      if (a.profile && !profiles.includes(a.profile)) continue;
      let schema: Record<string, unknown>;
      if (a.object_type && a.object_type !== 'object') {
        if (!(a.object_type in definitions)) {
          definitions[a.object_type] = {};
          definitions[a.object_type] = record(compiled.objects[a.object_type]!);
        }
        schema = { $ref: `#/definitions/${a.object_type.replace('/', '~1')}` };
      } else {
        const t = a.object_type === 'object' ? 'object' : jsonType(a.type);
        schema = t ? { type: t } : {};
        if (a.enum && (t === 'integer')) schema.enum = Object.keys(a.enum).map(Number);
      }
      properties[name] = a.is_array ? { type: 'array', items: schema } : schema;
      if (a.requirement === 'required') required.push(name);
    }
    const out: Record<string, unknown> = { type: 'object', properties, required, additionalProperties: false };
    const c = r.constraints ?? {};
    if (c.at_least_one) out.anyOf = c.at_least_one.map((n) => ({ required: [n] }));
    if (c.just_one) out.oneOf = c.just_one.map((n) => ({ required: [n] }));
    return out;
  };
  const root = record(compiled.classes[className]!);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `OCSF ${compiled.version} ${className}`, ...root, definitions };
}
