import { UsageError } from '../errors.js';
import type { CodeContext, CodeReadResult, CodeResource } from './model.js';
import { ACCOUNT_TOKEN, PARTITION_TOKEN, REGION_TOKEN, Ref, Unknown, type Value, type ValueMap } from './value.js';

/**
 * Terraform plan JSON (`terraform show -json tfplan`), plan format 0.1 to 1.x
 * (https://developer.hashicorp.com/terraform/internals/json-format):
 *
 * - the resources are `resource_changes[]` that will exist after apply:
 *   actions create, update, no-op, and replace (delete+create in either
 *   order); a plain delete is left out, a `read` is a data source read at
 *   apply. Values come from `change.after`.
 * - a value Terraform knows only after apply is `true` in
 *   `change.after_unknown`. It is resolved through `configuration`: the
 *   attribute's expression `references` name what it comes from, so a
 *   `kms_key_id` whose references start with `aws_kms_key.app.arn` is a
 *   reference to that planned key. A variable, local or module output it
 *   comes from is unknown, with the reason.
 * - addresses are kept exactly as the plan writes them
 *   (`module.x.aws_s3_bucket.this[0]`, `aws_s3_bucket.b["logs"]`).
 * - the deploying account and region come from data sources read during the
 *   plan (`prior_state`: aws_caller_identity, aws_region, aws_partition) and
 *   from the provider configuration.
 */

interface Expression {
  constant_value?: unknown;
  references?: string[];
}

interface ConfigResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  provider_config_key?: string;
  expressions?: Record<string, unknown>;
}

interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { source?: string; expressions?: Record<string, unknown>; module?: ConfigModule }>;
}

interface ResourceChange {
  address: string;
  module_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: unknown;
  provider_name?: string;
  change?: { actions?: string[]; after?: unknown; after_unknown?: unknown };
}

interface StateResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  values?: Record<string, unknown>;
}

interface StateModule {
  resources?: StateResource[];
  child_modules?: StateModule[];
  address?: string;
}

const SUPPORTED_FORMAT = /^(0\.\d+|1\.\d+)$/;

/** Is this JSON text a plan? (format detection) */
export function looksLikePlan(data: unknown): boolean {
  return Boolean(data && typeof data === 'object' && 'format_version' in data && ('resource_changes' in data || 'planned_values' in data || 'terraform_version' in data));
}

export function readTerraformPlan(data: unknown, file: string): CodeReadResult {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file}: not a Terraform plan (expected the JSON object of "terraform show -json PLANFILE")`);
  const plan = data as Record<string, unknown>;
  const version = plan.format_version;
  if (typeof version !== 'string' || !SUPPORTED_FORMAT.test(version)) {
    throw new UsageError(`${file}: plan format_version ${JSON.stringify(version)} is not supported (expected 0.1 to 1.x, as written by "terraform show -json")`);
  }
  const changes = plan.resource_changes;
  if (changes !== undefined && !Array.isArray(changes)) throw new UsageError(`${file}: resource_changes is not a list`);

  const variables = new Map<string, unknown>();
  if (plan.variables && typeof plan.variables === 'object') {
    for (const [name, v] of Object.entries(plan.variables as Record<string, { value?: unknown }>)) variables.set(name, v?.value);
  }
  const configuration = (plan.configuration ?? {}) as { provider_config?: Record<string, { expressions?: Record<string, unknown> }>; root_module?: ConfigModule };
  const configByAddress = new Map<string, { resource: ConfigResource; modulePrefix: string }>();
  indexConfig(configuration.root_module, '', configByAddress);
  const calls = new Map<string, Record<string, unknown>>();
  indexCalls(configuration.root_module, '', calls);
  const resolveVar: VarResolver = (prefix, name) => {
    // var.NAME inside module.a[0].module.b: the expression the call of module.b gives it, in module.a[0].
    const instances = splitAddress(prefix.replace(/\.$/, ''));
    if (instances.length < 2) return undefined;
    const parent = instances.slice(0, -2).join('.');
    const call = calls.get(withoutIndexes(prefix.replace(/\.$/, '')));
    const expression = call?.[name];
    if (expression === undefined) return undefined;
    return fromExpression(expression, parent ? `${parent}.` : '', resolveVar);
  };

  const context: CodeContext = {};
  const resources: CodeResource[] = [];
  const warnings: string[] = [];
  const prior = (plan.prior_state as { values?: { root_module?: StateModule } } | undefined)?.values?.root_module;
  for (const state of stateResources(prior)) {
    if (state.mode !== 'data') continue;
    const values = state.values ?? {};
    if (state.type === 'aws_caller_identity' && typeof values.account_id === 'string') context.accountId = values.account_id;
    if (state.type === 'aws_region') {
      const region = typeof values.region === 'string' ? values.region : typeof values.name === 'string' ? values.name : undefined;
      if (region) context.region ??= region;
    }
    if (state.type === 'aws_kms_key' || state.type === 'aws_kms_alias') {
      resources.push({
        format: 'terraform-plan', root: file, file, line: null, address: state.address, kind: state.type, mode: 'data',
        values: plain(values) as ValueMap, lines: {}, plan: file,
      });
    }
  }
  const defaultRegion = providerRegion(configuration.provider_config, 'aws', variables);
  if (defaultRegion) context.region ??= defaultRegion;

  for (const rc of (changes ?? []) as ResourceChange[]) {
    if (!rc || typeof rc !== 'object' || typeof rc.address !== 'string') {
      warnings.push(`${file}: a resource_changes entry without an address was skipped`);
      continue;
    }
    const actions = Array.isArray(rc.change?.actions) ? rc.change!.actions!.filter((a): a is string => typeof a === 'string') : [];
    if (actions.length === 1 && actions[0] === 'delete') continue;
    if (actions.length === 0) {
      warnings.push(`${file}: ${rc.address} has no planned actions; read as no-op`);
    }
    const configAddress = withoutIndexes(rc.address);
    const config = configByAddress.get(configAddress);
    const after = rc.change?.after ?? null;
    const values = (merge(after, rc.change?.after_unknown, config?.resource.expressions ?? null, modulePrefixOf(rc.address), resolveVar) ?? {}) as ValueMap;
    const resource: CodeResource = {
      format: 'terraform-plan',
      root: file,
      file,
      line: null,
      address: rc.address,
      kind: rc.type,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      values: values && typeof values === 'object' && !Array.isArray(values) ? values : {},
      lines: {},
      actions: actions.length > 0 ? actions : ['no-op'],
      plan: file,
    };
    if (after && typeof after === 'object' && typeof (after as Record<string, unknown>).arn === 'string' && String((after as Record<string, unknown>).arn).startsWith('arn:')) {
      resource.knownArn = String((after as Record<string, unknown>).arn);
      // An existing resource's ARN proves the account it is in (when no data source said so).
      const account = resource.knownArn.split(':')[4];
      if (account && /^\d{12}$/.test(account)) context.accountId ??= account;
    }
    const region =
      (after && typeof after === 'object' && typeof (after as Record<string, unknown>).region === 'string' ? String((after as Record<string, unknown>).region) : undefined) ??
      providerRegion(configuration.provider_config, config?.resource.provider_config_key ?? 'aws', variables);
    if (region) resource.region = region;
    resources.push(resource);
  }
  return { resources, context, warnings };
}

function indexConfig(module: ConfigModule | undefined, prefix: string, out: Map<string, { resource: ConfigResource; modulePrefix: string }>): void {
  if (!module) return;
  for (const resource of module.resources ?? []) {
    const local = resource.mode === 'data' ? `data.${resource.type}.${resource.name}` : `${resource.type}.${resource.name}`;
    out.set(`${prefix}${local}`, { resource, modulePrefix: prefix });
  }
  for (const [name, call] of Object.entries(module.module_calls ?? {})) indexConfig(call.module, `${prefix}module.${name}.`, out);
}

function indexCalls(module: ConfigModule | undefined, prefix: string, out: Map<string, Record<string, unknown>>): void {
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    out.set(`${prefix}module.${name}`, call.expressions ?? {});
    indexCalls(call.module, `${prefix}module.${name}.`, out);
  }
}

type VarResolver = (modulePrefix: string, name: string) => Value | undefined;

function* stateResources(module: StateModule | undefined): Generator<StateResource> {
  if (!module) return;
  for (const r of module.resources ?? []) yield r;
  for (const child of module.child_modules ?? []) yield* stateResources(child);
}

/** `module.a["x"].module.b[0].aws_s3_bucket.c[1]` → `module.a.module.b.aws_s3_bucket.c` (configuration addresses have no instance keys). */
export function withoutIndexes(address: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < address.length; i += 1) {
    const ch = address[i]!;
    if (quoted) {
      if (ch === '\\') i += 1;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '[') depth += 1;
    else if (ch === ']') depth -= 1;
    else if (ch === '"' && depth > 0) quoted = true;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** The module path of an address, with its instance keys: `module.a[0].aws_x.y` → `module.a[0].`. */
function modulePrefixOf(address: string): string {
  const parts = splitAddress(address);
  const out: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (parts[i] !== 'module') break;
    out.push(`module.${parts[i + 1]}`);
  }
  return out.length > 0 ? `${out.join('.')}.` : '';
}

/** Splits an address on dots outside brackets and quotes. */
function splitAddress(address: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < address.length; i += 1) {
    const ch = address[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\') current += address[++i] ?? '';
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    if (ch === '[') depth += 1;
    if (ch === ']') depth -= 1;
    if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function providerRegion(config: Record<string, { expressions?: Record<string, unknown> }> | undefined, key: string, variables: Map<string, unknown>): string | undefined {
  const provider = config?.[key] ?? config?.[key.replace(/^.*:/, '')];
  const expression = provider?.expressions?.region as Expression | undefined;
  if (!expression) return undefined;
  if (typeof expression.constant_value === 'string') return expression.constant_value;
  const ref = expression.references?.[0];
  if (ref?.startsWith('var.')) {
    const value = variables.get(ref.slice(4).split('.')[0]!);
    if (typeof value === 'string') return value;
  }
  return undefined;
}

function isExpression(value: unknown): value is Expression {
  return Boolean(value && typeof value === 'object' && !Array.isArray(value) && ('constant_value' in value || 'references' in value));
}

/** JSON from the plan as a Value (plain data, nothing unknown). */
function plain(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/**
 * `after` with every value marked in `after_unknown` replaced by what the
 * configuration says it comes from (a Ref to a planned resource), or by an
 * Unknown with the reason.
 */
function merge(after: unknown, unknown: unknown, expressions: unknown, modulePrefix: string, resolveVar: VarResolver): Value | undefined {
  if (unknown === true) return fromExpression(expressions, modulePrefix, resolveVar);
  if (Array.isArray(after) || Array.isArray(unknown)) {
    const a = Array.isArray(after) ? after : [];
    const u = Array.isArray(unknown) ? unknown : [];
    const e = Array.isArray(expressions) ? expressions : [];
    const length = Math.max(a.length, u.length);
    const out: Value[] = [];
    for (let i = 0; i < length; i += 1) {
      const item = merge(a[i], u[i], Array.isArray(expressions) ? (e[i] ?? e[0]) : undefined, modulePrefix, resolveVar);
      out.push(item === undefined ? null : item);
    }
    return out;
  }
  const afterIsMap = after !== null && typeof after === 'object';
  const unknownIsMap = unknown !== null && typeof unknown === 'object';
  if (afterIsMap || unknownIsMap) {
    const a = (afterIsMap ? after : {}) as Record<string, unknown>;
    const u = (unknownIsMap ? unknown : {}) as Record<string, unknown>;
    // Nested blocks' expressions are lists of maps; an attribute holding a map has one expression.
    const configured = expressions && typeof expressions === 'object' && !Array.isArray(expressions) && !isExpression(expressions);
    const e = configured ? (expressions as Record<string, unknown>) : {};
    const out: ValueMap = {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(u)])) {
      if (a[key] === undefined && u[key] === undefined) continue;
      if (a[key] === null && (u[key] === false || u[key] === undefined)) {
        out[key] = null;
        continue;
      }
      // Known only after apply and not written in the configuration: a computed default the
      // provider or AWS decides, the same as an omitted attribute (the mappings apply the default).
      if (u[key] === true && configured && e[key] === undefined) continue;
      const value = merge(a[key], u[key], configured ? e[key] : undefined, modulePrefix, resolveVar);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  return plain(after);
}

/** What an attribute known only after apply comes from, read from its configuration expression. */
function fromExpression(expression: unknown, modulePrefix: string, resolveVar: VarResolver): Value {
  if (!isExpression(expression)) return new Unknown('known only after apply (the plan has no configuration expression for it)');
  const refs = expression.references ?? [];
  if (refs.length === 0) return new Unknown('known only after apply');
  const ref = refs[0]!;
  const selfRef = selfReference(ref);
  if (selfRef) return selfRef;
  const parts = splitAddress(ref);
  if (parts[0] === 'var') {
    const viaCall = modulePrefix ? resolveVar(modulePrefix, parts[1] ?? '') : undefined;
    if (viaCall !== undefined) return viaCall;
    return new Unknown(`known only after apply: comes from variable ${ref}${modulePrefix ? ` of ${modulePrefix.slice(0, -1)}` : ''}`);
  }
  if (parts[0] === 'local') return new Unknown(`known only after apply: comes from ${ref}`);
  if (parts[0] === 'module') return new Unknown(`known only after apply: comes from the module output ${modulePrefix}${ref}`);
  if (parts[0] === 'each' || parts[0] === 'count' || parts[0] === 'path' || parts[0] === 'terraform' || parts[0] === 'self') {
    return new Unknown(`known only after apply: comes from ${ref}`);
  }
  if (parts[0] === 'data') {
    if (parts.length < 3) return new Unknown(`known only after apply: comes from ${ref}`);
    const target = `${modulePrefix}data.${parts[1]}.${parts[2]}`;
    return new Ref(target, parts[3] ?? 'id', ref);
  }
  if (parts.length < 2) return new Unknown(`known only after apply: comes from ${ref}`);
  // A reference names the attribute after the resource (aws_kms_key.app.arn, aws_kms_key.app[0].arn).
  return new Ref(`${modulePrefix}${parts[0]}.${parts[1]}`, parts[2] ?? 'id', ref);
}

/** data.aws_caller_identity.*.account_id and friends: the deploying account, partition and region. */
export function selfReference(ref: string): string | null {
  const parts = splitAddress(ref).map((p) => p.replace(/\[.*\]$/, ''));
  if (parts[0] !== 'data') return null;
  if (parts[1] === 'aws_caller_identity' && parts[3] === 'account_id') return ACCOUNT_TOKEN;
  if (parts[1] === 'aws_partition' && parts[3] === 'partition') return PARTITION_TOKEN;
  if (parts[1] === 'aws_region' && (parts[3] === 'name' || parts[3] === 'region' || parts[3] === 'id')) return REGION_TOKEN;
  return null;
}

export { splitAddress };
