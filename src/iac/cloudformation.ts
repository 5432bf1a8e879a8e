import { isMap as isYamlMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type Tags } from 'yaml';
import { UsageError } from '../errors.js';
import type { CodeContext, CodeReadResult, CodeResource } from './model.js';
import { ACCOUNT_TOKEN, PARTITION_TOKEN, REGION_TOKEN, Ref, Unknown, isMap, type Value, type ValueMap } from './value.js';

/**
 * CloudFormation templates, YAML (with every short-form intrinsic tag:
 * `!Ref`, `!GetAtt`, `!Sub`, `!If`, `!Join`, … — the `yaml` package's custom
 * tags, so nothing is parsed by hand) and JSON, read into the resources'
 * Properties with the line of each property.
 *
 * Intrinsics are evaluated as far as a template decides them:
 * - `Ref` / `Fn::GetAtt` to a resource of the template is a Ref (a key in
 *   the same template protects the resource); `Ref` to a parameter is its
 *   Default (no default, or an SSM parameter type: Unknown); pseudo
 *   parameters are the account, partition and region tokens.
 * - `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
 *   `Fn::Base64`, `Fn::ToJsonString`, `Fn::Length` with known arguments.
 * - `Fn::ImportValue`, `Fn::GetAZs`, `Fn::Cidr`, dynamic references
 *   (`{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`) are Unknown.
 * - `Fn::If` is judged branch by branch: each resource is read once per
 *   combination of the conditions its Properties (and its own Condition)
 *   use; the pipeline keeps the worst. `--cfn-conditions NAME=true,…` fixes
 *   conditions instead (docs/iac.md).
 */

/** Every intrinsic's short form, on scalars, sequences and mappings. */
const INTRINSICS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];

export const CFN_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => value },
    { tag, collection: 'seq' as const, resolve: (value: unknown) => value as never },
    { tag, collection: 'map' as const, resolve: (value: unknown) => value as never },
  ];
}) as unknown as Tags;

/** The long form of a short tag: !Ref → Ref, !Condition → Condition, !GetAtt → Fn::GetAtt. */
function longForm(tag: string): string {
  const name = tag.slice(1);
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** Parses a template (YAML or JSON) with the intrinsic tags; a syntax error names FILE:LINE:COL. */
export function parseTemplate(text: string, file: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { customTags: CFN_TAGS, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const { line, col } = lines.linePos(problem.pos[0]);
    throw new UsageError(`${file}:${line}:${col}: ${problem.message.split('\n')[0]} (expected a YAML or JSON CloudFormation template)`);
  }
  return { doc, lines };
}

/** A parsed template as plain JS, intrinsics in their long form ({"Fn::GetAtt": [...]}): what tests compare generated YAML with. */
export function templateToJs(doc: Document): unknown {
  return raw(doc.contents as YamlNode | null, '', {}, null);
}

/** Does this data look like a template? (format detection) */
export function looksLikeTemplate(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  if ('AWSTemplateFormatVersion' in d) return true;
  const resources = d.Resources;
  return Boolean(resources && typeof resources === 'object' && Object.values(resources).some((r) => r && typeof r === 'object' && typeof (r as { Type?: unknown }).Type === 'string' && /^(AWS|Custom)::|^[A-Za-z0-9]+::/.test((r as { Type: string }).Type)));
}

/** YAML node → plain JS with intrinsics in long form, recording the line of every path. */
function raw(node: YamlNode | null | undefined, path: string, lines: Record<string, number>, counter: LineCounter | null): unknown {
  if (!node) return null;
  if (counter && node.range) lines[path] ??= counter.linePos(node.range[0]).line;
  const tag = node.tag && node.tag.startsWith('!') ? node.tag : null;
  let value: unknown;
  if (isYamlMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = path ? `${path}.${key}` : key;
      if (counter && isScalar(pair.key) && pair.key.range) lines[childPath] = counter.linePos(pair.key.range[0]).line;
      out[key] = raw(pair.value as YamlNode, childPath, lines, counter);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => raw(item as YamlNode, path ? `${path}.${i}` : String(i), lines, counter));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = null;
  }
  if (!tag) return value;
  const fn = longForm(tag);
  // !GetAtt A.B is Fn::GetAtt [A, B] in the long form.
  if (fn === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [fn]: dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : [value] };
  }
  return { [fn]: value };
}

export interface CloudFormationOptions {
  /** --cfn-conditions: conditions whose value is fixed; the others are judged both ways. */
  conditions: ReadonlyMap<string, boolean>;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Evaluated = Value | typeof NO_VALUE;

interface TemplateContext {
  file: string;
  parameters: Record<string, { Type?: unknown; Default?: unknown }>;
  mappings: Record<string, unknown>;
  resources: Set<string>;
  conditions: Map<string, boolean>;
}

/** Most free conditions one resource is read under (2^n variants). */
const MAX_FREE_CONDITIONS = 8;

export function readCloudFormation(text: string, file: string, options: CloudFormationOptions): CodeReadResult {
  const { doc, lines: counter } = parseTemplate(text, file);
  const topLines: Record<string, number> = {};
  const template = raw(doc.contents as YamlNode, '', topLines, counter);
  if (!looksLikeTemplate(template)) throw new UsageError(`${file}: not a CloudFormation template (expected AWSTemplateFormatVersion or Resources with a Type each)`);
  const t = template as Record<string, unknown>;
  const resourcesSection = (t.Resources ?? {}) as Record<string, Record<string, unknown>>;
  const context: CodeContext = {};
  const warnings: string[] = [];
  if (typeof t.Transform === 'string' || Array.isArray(t.Transform)) {
    warnings.push(`${file}: Transform ${JSON.stringify(t.Transform)} is applied by CloudFormation at deployment; atrest reads the template as written (resources a macro or SAM would add are not read)`);
  }
  const base: Omit<TemplateContext, 'conditions'> = {
    file,
    parameters: (t.Parameters ?? {}) as TemplateContext['parameters'],
    mappings: (t.Mappings ?? {}) as Record<string, unknown>,
    resources: new Set(Object.keys(resourcesSection)),
  };
  const declaredConditions = new Set(Object.keys((t.Conditions ?? {}) as object));
  const resources: CodeResource[] = [];
  for (const [logicalId, resource] of Object.entries(resourcesSection)) {
    if (!resource || typeof resource !== 'object' || typeof resource.Type !== 'string') {
      warnings.push(`${file}:${topLines[`Resources.${logicalId}`] ?? 1}: resource ${logicalId} has no Type; skipped`);
      continue;
    }
    const used = new Set<string>();
    collectIfConditions(resource.Properties, used);
    const own = typeof resource.Condition === 'string' ? resource.Condition : null;
    if (own) used.add(own);
    const free = [...used].filter((c) => !options.conditions.has(c)).sort();
    for (const c of used) {
      if (!declaredConditions.has(c)) warnings.push(`${file}: ${logicalId} uses condition ${c}, which the template does not declare`);
    }
    const varied = free.slice(0, MAX_FREE_CONDITIONS);
    if (free.length > varied.length) warnings.push(`${file}: ${logicalId} uses ${free.length} conditions; atrest judges the first ${MAX_FREE_CONDITIONS} both ways and the rest as unknown`);
    const combos = 1 << varied.length;
    for (let mask = 0; mask < combos; mask += 1) {
      const conditions = new Map<string, boolean>();
      for (const c of used) if (options.conditions.has(c)) conditions.set(c, options.conditions.get(c)!);
      varied.forEach((c, i) => conditions.set(c, Boolean(mask & (1 << i))));
      const ctx: TemplateContext = { ...base, conditions };
      const properties = evaluate(resource.Properties ?? {}, ctx);
      const lines: Record<string, number> = {};
      for (const [path, line] of Object.entries(topLines)) {
        const prefix = `Resources.${logicalId}.Properties.`;
        if (path.startsWith(prefix)) lines[path.slice(prefix.length)] = line;
      }
      const record: CodeResource = {
        format: 'cloudformation',
        root: file,
        file,
        line: topLines[`Resources.${logicalId}`] ?? null,
        address: logicalId,
        kind: resource.Type,
        mode: 'managed',
        values: isMap(properties as Value) ? (properties as ValueMap) : {},
        lines,
      };
      if (used.size > 0) record.conditions = Object.fromEntries([...conditions].sort(([a], [b]) => (a < b ? -1 : 1)));
      if (own && conditions.get(own) === false) record.absent = true;
      resources.push(record);
    }
  }
  return { resources, context, warnings };
}

function collectIfConditions(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectIfConditions(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::If' && Array.isArray(v) && typeof v[0] === 'string') out.add(v[0]);
      collectIfConditions(v, out);
    }
  }
}

const PSEUDO: Record<string, Value> = {
  'AWS::AccountId': ACCOUNT_TOKEN,
  'AWS::Partition': PARTITION_TOKEN,
  'AWS::Region': REGION_TOKEN,
  'AWS::URLSuffix': new Unknown('AWS::URLSuffix depends on the partition'),
  'AWS::StackName': new Unknown('AWS::StackName is known at deployment'),
  'AWS::StackId': new Unknown('AWS::StackId is known at deployment'),
  'AWS::NotificationARNs': new Unknown('AWS::NotificationARNs is known at deployment'),
};

function evaluate(value: unknown, ctx: TemplateContext): Evaluated {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return dynamicReference(value) ?? value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, ctx)).filter((v): v is Value => v !== NO_VALUE);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      if (key === 'Ref' || key.startsWith('Fn::')) return intrinsic(key, arg, ctx);
    }
    const out: ValueMap = {};
    for (const [k, v] of entries) {
      const e = evaluate(v, ctx);
      if (e !== NO_VALUE) out[k] = e;
    }
    return out;
  }
  return null;
}

function dynamicReference(text: string): Unknown | null {
  const m = /\{\{resolve:(ssm-secure|ssm|secretsmanager):([^}]*)\}\}/.exec(text);
  if (!m) return null;
  return new Unknown(`${m[0]} is a dynamic reference, resolved by CloudFormation at deployment (${m[1] === 'secretsmanager' ? 'Secrets Manager' : 'SSM Parameter Store'})`);
}

function ref(name: string, ctx: TemplateContext): Evaluated {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in PSEUDO) return PSEUDO[name]!;
  const parameter = ctx.parameters[name];
  if (parameter) {
    const type = typeof parameter.Type === 'string' ? parameter.Type : '';
    if (type.startsWith('AWS::SSM::Parameter::Value')) return new Unknown(`parameter ${name} is an SSM parameter (${type}), resolved at deployment`);
    if (parameter.Default === undefined) return new Unknown(`parameter ${name} has no Default: its value is given at deployment`);
    const def = parameter.Default;
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) return String(def).split(',').map((s) => s.trim());
    return typeof def === 'number' || typeof def === 'boolean' ? String(def) : (def as Value);
  }
  if (ctx.resources.has(name)) return new Ref(name, 'Ref', `!Ref ${name}`);
  return new Unknown(`Ref ${name}: no parameter or resource of that name in ${ctx.file}`);
}

function intrinsic(fn: string, arg: unknown, ctx: TemplateContext): Evaluated {
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, ctx) : new Unknown('Ref needs a name');
    case 'Fn::GetAtt': {
      const parts = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
      const [name, ...attr] = parts.map((p) => (typeof p === 'string' ? p : ''));
      if (!name || !ctx.resources.has(name)) return new Unknown(`Fn::GetAtt ${String(name)}: no resource of that name`);
      const attribute = attr.join('.');
      return new Ref(name, attribute || 'Arn', `!GetAtt ${name}.${attribute}`);
    }
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return new Unknown('Fn::If needs [condition, then, else]');
      const value = ctx.conditions.get(arg[0]);
      if (value === undefined) return new Unknown(`condition ${arg[0]} is not decided`);
      return evaluate(value ? arg[1] : arg[2], ctx);
    }
    case 'Fn::Sub':
      return sub(arg, ctx);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Join needs [delimiter, list]');
      const list = evaluate(arg[1], ctx);
      if (list instanceof Unknown) return list;
      if (!Array.isArray(list)) return new Unknown('Fn::Join of something that is not a list');
      return concatenate(list, String(arg[0] ?? ''));
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Select needs [index, list]');
      const index = evaluate(arg[0], ctx);
      const list = evaluate(arg[1], ctx);
      if (list instanceof Unknown) return list;
      if (!Array.isArray(list) || (typeof index !== 'number' && typeof index !== 'string')) return new Unknown('Fn::Select of an unknown list or index');
      return list[Number(index)] ?? new Unknown(`Fn::Select: index ${String(index)} out of range`);
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) return new Unknown('Fn::Split needs [delimiter, text]');
      const textValue = evaluate(arg[1], ctx);
      return typeof textValue === 'string' ? textValue.split(String(arg[0])) : textValue instanceof Unknown ? textValue : new Unknown('Fn::Split of unknown text');
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) return new Unknown('Fn::FindInMap needs [map, key, key]');
      const keys = arg.slice(0, 3).map((a) => evaluate(a, ctx));
      const bad = keys.find((k) => typeof k !== 'string');
      if (bad !== undefined) return new Unknown(`Fn::FindInMap with a key known only at deployment (${bad instanceof Unknown ? bad.reason : 'not text'})`);
      const [m, k1, k2] = keys as string[];
      const found = ((ctx.mappings[m!] as Record<string, Record<string, unknown>> | undefined)?.[k1!] ?? {})[k2!];
      if (found === undefined) return arg[3] && typeof arg[3] === 'object' && 'DefaultValue' in (arg[3] as object) ? evaluate((arg[3] as { DefaultValue: unknown }).DefaultValue, ctx) : new Unknown(`Fn::FindInMap ${m}.${k1}.${k2} is not in Mappings`);
      return evaluate(found, ctx);
    }
    case 'Fn::Base64': {
      const v = evaluate(arg, ctx);
      return typeof v === 'string' ? Buffer.from(v).toString('base64') : v === NO_VALUE ? null : (v as Value);
    }
    case 'Fn::ToJsonString': {
      const v = evaluate(arg, ctx);
      if (v === NO_VALUE) return null;
      const u = findUnknown(v);
      return u ?? JSON.stringify(v);
    }
    case 'Fn::Length': {
      const v = evaluate(arg, ctx);
      return Array.isArray(v) ? v.length : new Unknown('Fn::Length of something that is not a known list');
    }
    case 'Fn::ImportValue':
      return new Unknown(`Fn::ImportValue ${typeof arg === 'string' ? arg : JSON.stringify(arg)}: an export of another stack, known at deployment`);
    case 'Fn::GetAZs':
      return new Unknown('Fn::GetAZs is known at deployment');
    case 'Fn::Cidr':
      return new Unknown('Fn::Cidr is not evaluated by atrest');
    default:
      return new Unknown(`${fn} is not evaluated by atrest`);
  }
}

function findUnknown(v: Value): Unknown | null {
  if (v instanceof Unknown) return v;
  if (v instanceof Ref) return new Unknown(`${v.text} is known only at deployment`);
  if (Array.isArray(v)) for (const x of v) { const u = findUnknown(x); if (u) return u; }
  if (isMap(v)) for (const x of Object.values(v)) { const u = findUnknown(x); if (u) return u; }
  return null;
}

/**
 * Joins parts into text. A single Ref whose text before it ends a KMS ARN
 * prefix (`…:key/${Key}`, `…:alias/${Alias}`) still names that resource.
 */
function concatenate(parts: Value[], delimiter: string): Value {
  const refs = parts.filter((p): p is Ref => p instanceof Ref);
  const unknown = parts.find((p) => p instanceof Unknown);
  if (unknown) return unknown;
  if (refs.length === 1 && parts.at(-1) instanceof Ref) {
    const before = parts.slice(0, -1).map((p) => String(p)).join(delimiter) + (parts.length > 1 ? delimiter : '');
    if (/(^|:)(key|alias)\/$/.test(before) || before === '') return refs[0]!;
  }
  if (refs.length > 0) return new Unknown(`text built from ${refs.map((r) => r.text).join(', ')}, known only at deployment`);
  const bad = parts.find((p) => p !== null && typeof p === 'object');
  if (bad) return new Unknown('text built from a list or object');
  return parts.map((p) => (p === null ? '' : String(p))).join(delimiter);
}

function sub(arg: unknown, ctx: TemplateContext): Value {
  const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
  if (typeof template !== 'string') return new Unknown('Fn::Sub needs a text template');
  const local = new Map<string, Evaluated>();
  if (vars && typeof vars === 'object') for (const [k, v] of Object.entries(vars as Record<string, unknown>)) local.set(k, evaluate(v, ctx));
  const parts: Value[] = [];
  let last = 0;
  const pattern = /\$\{([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(template))) {
    parts.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1]!.trim();
    if (name.startsWith('!')) {
      parts.push(`\${${name.slice(1)}}`);
      continue;
    }
    if (local.has(name)) {
      const v = local.get(name)!;
      parts.push(v === NO_VALUE ? '' : v);
      continue;
    }
    const dot = name.indexOf('.');
    if (dot > 0 && ctx.resources.has(name.slice(0, dot))) {
      parts.push(new Ref(name.slice(0, dot), name.slice(dot + 1), `\${${name}}`));
      continue;
    }
    const value = ref(name, ctx);
    parts.push(value === NO_VALUE ? '' : value);
  }
  parts.push(template.slice(last));
  const kept = parts.filter((p) => p !== '');
  if (kept.length === 1 && kept[0] instanceof Ref) return kept[0];
  const joined = concatenate(kept.length > 0 ? kept : [''], '');
  return typeof joined === 'string' ? (dynamicReference(joined) ?? joined) : joined;
}
