import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Node } from 'web-tree-sitter';
import { UsageError } from '../errors.js';
import { bodyOf, blockHeader, lineOf, named, parseHcl, type HclFile } from './hcl.js';
import { child, evaluate, type Scope } from './hcl-eval.js';
import type { CodeContext, CodeReadResult, CodeResource } from './model.js';
import { Unknown, isMap, type Value, type ValueMap } from './value.js';

/**
 * Terraform files (`.tf`), read with the HCL2 parser (src/iac/hcl.ts), the
 * way Terraform reads a root module: every `.tf` file of the folder together,
 * `terraform.tfvars` and `*.auto.tfvars` for variable values, variable
 * defaults, locals, `count` and `for_each` with known values, `dynamic`
 * blocks, and child modules — local sources from their folder, registry and
 * git sources from `.terraform/modules` once `terraform init` has fetched
 * them. What only Terraform or AWS can know (a variable without a default, a
 * data source, a module output, another resource's attribute) is an Unknown
 * with the reason, or a Ref for another resource.
 */

interface ModuleFiles {
  dir: string;
  files: HclFile[];
  variables: Map<string, { node: Node; default?: Node }>;
  locals: Map<string, Node>;
  blocks: Node[];
}

interface Instance {
  prefix: string;
  scope: Scope;
  module: ModuleFiles;
}

export interface TerraformReadOptions {
  /** The working directory: files are named relative to it. */
  cwd: string;
}

const parsed = new Map<string, Promise<ModuleFiles>>();

/** The `.tf` files of a folder, sorted. */
export function tfFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort()
    .map((f) => join(dir, f));
}

async function loadModule(dir: string, cwd: string): Promise<ModuleFiles> {
  const key = resolve(dir);
  let pending = parsed.get(key);
  if (!pending) {
    pending = (async () => {
      const files: HclFile[] = [];
      for (const path of tfFiles(dir)) files.push(await parseHcl(readFileSync(path, 'utf8'), display(path, cwd)));
      const module: ModuleFiles = { dir, files, variables: new Map(), locals: new Map(), blocks: [] };
      for (const file of files) {
        const body = bodyOf(file.root) ?? named(file.root).find((c) => c.type === 'body');
        for (const block of body ? named(body).filter((c) => c.type === 'block') : []) {
          const { type, labels } = blockHeader(block);
          if (type === 'variable' && labels[0]) {
            const def = attributes(block).get('default');
            module.variables.set(labels[0], { node: block, ...(def ? { default: def } : {}) });
          } else if (type === 'locals') {
            for (const [name, expr] of attributes(block)) module.locals.set(name, expr);
          } else {
            module.blocks.push(block);
          }
        }
      }
      return module;
    })();
    parsed.set(key, pending);
  }
  return pending;
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The attributes of a block's body (name → expression node), in order. */
function attributes(block: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const body = bodyOf(block);
  for (const attr of body ? named(body).filter((c) => c.type === 'attribute') : []) {
    const name = named(attr).find((c) => c.type === 'identifier')?.text;
    const expr = named(attr).find((c) => c.type === 'expression');
    if (name && expr) out.set(name, expr);
  }
  return out;
}

function nestedBlocks(block: Node): Node[] {
  const body = bodyOf(block);
  return body ? named(body).filter((c) => c.type === 'block') : [];
}

/** Variable values from terraform.tfvars and *.auto.tfvars of the root folder (later files win, as in Terraform). */
async function tfvars(dir: string, cwd: string): Promise<Map<string, Value>> {
  const names = readdirSync(dir).filter((f) => f === 'terraform.tfvars' || f.endsWith('.auto.tfvars')).sort((a, b) => (a === 'terraform.tfvars' ? -1 : b === 'terraform.tfvars' ? 1 : a < b ? -1 : 1));
  const values = new Map<string, Value>();
  const empty = emptyScope(dir);
  for (const name of names) {
    const file = await parseHcl(readFileSync(join(dir, name), 'utf8'), display(join(dir, name), cwd));
    const body = bodyOf(file.root) ?? named(file.root).find((c) => c.type === 'body');
    for (const attr of body ? named(body).filter((c) => c.type === 'attribute') : []) {
      const key = named(attr).find((c) => c.type === 'identifier')?.text;
      const expr = named(attr).find((c) => c.type === 'expression');
      if (key && expr) values.set(key, evaluate(expr, empty));
    }
  }
  return values;
}

function emptyScope(dir: string): Scope {
  return {
    variable: (name) => new Unknown(`var.${name} is not available here`),
    local: (name) => new Unknown(`local.${name} is not available here`),
    modulePrefix: '',
    bindings: new Map(),
    paths: { module: dir, root: dir, cwd: process.cwd() },
  };
}

/** Reads one root module folder. */
export async function readTerraformDir(dir: string, options: TerraformReadOptions): Promise<CodeReadResult> {
  const root = await loadModule(dir, options.cwd);
  if (root.files.length === 0) throw new UsageError(`${display(dir, options.cwd)}: no .tf files`);
  const values = await tfvars(dir, options.cwd);
  const resources: CodeResource[] = [];
  const context: CodeContext = {};
  const warnings: string[] = [];
  const rootName = display(dir, options.cwd);
  const modulesIndex = readModulesJson(dir);
  const providerRegions = new Map<string, string | Unknown>();

  const instantiate = async (module: ModuleFiles, prefix: string, inputs: Map<string, () => Value>, keyPath: string[], bindings: Record<string, Value>): Promise<void> => {
    const localsCache = new Map<string, Value>();
    const evaluating = new Set<string>();
    const scope: Scope = {
      modulePrefix: prefix,
      bindings: new Map(Object.entries(bindings)),
      paths: { module: module.dir, root: dir, cwd: options.cwd },
      variable(name) {
        const input = inputs.get(name);
        if (input) return input();
        if (!prefix && values.has(name)) return values.get(name)!;
        const declared = module.variables.get(name);
        if (!declared) return new Unknown(`var.${name} is not declared${prefix ? ` in ${prefix.slice(0, -1)}` : ''}`);
        if (!declared.default) return new Unknown(`var.${name} has no default${prefix ? ` (in ${prefix.slice(0, -1)}, and the module call does not set it)` : ' and no tfvars value: its value is known only to terraform plan'}`);
        return evaluate(declared.default, emptyScope(module.dir));
      },
      local(name) {
        if (localsCache.has(name)) return localsCache.get(name)!;
        const expr = module.locals.get(name);
        if (!expr) return new Unknown(`local.${name} is not declared`);
        if (evaluating.has(name)) return new Unknown(`local.${name} refers to itself`);
        evaluating.add(name);
        const value = evaluate(expr, scope);
        evaluating.delete(name);
        localsCache.set(name, value);
        return value;
      },
    };
    for (const block of module.blocks) {
      const { type, labels } = blockHeader(block);
      const file = module.files.find((f) => f.root.startIndex <= block.startIndex && block.endIndex <= f.root.endIndex && f.tree === block.tree)?.file ?? rootName;
      if (type === 'provider' && labels[0] === 'aws' && !prefix) {
        const attrs = attributes(block);
        const alias = attrs.get('alias');
        const aliasName = alias ? evaluate(alias, scope) : null;
        const region = attrs.get('region');
        const value = region ? evaluate(region, scope) : new Unknown('the provider block sets no region');
        const name = typeof aliasName === 'string' ? `aws.${aliasName}` : 'aws';
        providerRegions.set(name, typeof value === 'string' ? value : value instanceof Unknown ? value : new Unknown('the provider region is not text'));
        if (name === 'aws' && typeof value === 'string') context.region = value;
        continue;
      }
      if (type === 'module' && labels[0]) {
        await instantiateModule(block, labels[0], file);
        continue;
      }
      if ((type !== 'resource' && type !== 'data') || labels.length < 2) continue;
      const mode = type === 'data' ? 'data' : 'managed';
      const base = `${prefix}${mode === 'data' ? 'data.' : ''}${labels[0]}.${labels[1]}`;
      for (const { key, bindings: each } of expansions(block, scope, base, warnings)) {
        const instanceScope = child(scope, each);
        const lines: Record<string, number> = {};
        const value = blockValues(block, instanceScope, '', lines);
        const resource: CodeResource = {
          format: 'terraform',
          root: rootName,
          file,
          line: lineOf(block),
          address: `${base}${key}`,
          kind: labels[0]!,
          mode,
          values: value,
          lines,
        };
        const providerExpr = attributes(block).get('provider');
        const providerName = providerExpr ? providerExpr.text.trim() : 'aws';
        const region = typeof value.region === 'string' ? value.region : providerRegions.get(providerName);
        if (typeof region === 'string') resource.region = region;
        resources.push(resource);
      }
    }

    async function instantiateModule(block: Node, name: string, file: string): Promise<void> {
      const attrs = attributes(block);
      const sourceNode = attrs.get('source');
      const source = sourceNode ? evaluate(sourceNode, scope) : null;
      if (typeof source !== 'string') throw new UsageError(`${file}:${lineOf(block)}: module "${name}" has no source text`);
      const path = [...keyPath, name];
      let moduleDir: string | null = null;
      if (source.startsWith('./') || source.startsWith('../')) moduleDir = resolve(module.dir, source);
      else moduleDir = modulesIndex.get(path.join('.')) ?? null;
      if (!moduleDir || !existsSync(moduleDir) || !statSync(moduleDir).isDirectory()) {
        throw new UsageError(
          `${file}:${lineOf(block)}: module "${name}" (source "${source}") is not on disk: run "terraform init" in ${rootName} so atrest can read it from .terraform/modules, or pass the plan JSON (terraform show -json)`,
        );
      }
      const child = await loadModule(moduleDir, options.cwd);
      for (const { key, bindings: each } of expansions(block, scope, `${prefix}module.${name}`, warnings)) {
        const callScope = { ...scope, bindings: new Map([...scope.bindings, ...Object.entries(each)]) };
        const inputs = new Map<string, () => Value>();
        for (const [input, expr] of attrs) {
          if (['source', 'version', 'count', 'for_each', 'providers', 'depends_on'].includes(input)) continue;
          let cached: Value | undefined;
          inputs.set(input, () => (cached ??= evaluate(expr, callScope)));
        }
        await instantiate(child, `${prefix}module.${name}${key}.`, inputs, path, {});
      }
    }
  };

  await instantiate(root, '', new Map(), [], {});
  return { resources, context, warnings };
}

/** The instances of a resource or module block: count, for_each, or one. */
function expansions(block: Node, scope: Scope, base: string, warnings: string[]): Array<{ key: string; bindings: Record<string, Value> }> {
  const attrs = attributes(block);
  const count = attrs.get('count');
  const forEach = attrs.get('for_each');
  if (count) {
    const n = evaluate(count, scope);
    if (typeof n === 'number') return Array.from({ length: Math.max(0, Math.floor(n)) }, (_, i) => ({ key: `[${i}]`, bindings: { count: { index: i } } }));
    warnings.push(`${base}: count is unknown (${n instanceof Unknown ? n.reason : 'not a number'}); read as one instance`);
    return [{ key: '[*]', bindings: { count: { index: new Unknown('count.index of a count that is unknown') } } }];
  }
  if (forEach) {
    const v = evaluate(forEach, scope);
    const entries: Array<[string, Value]> | null = Array.isArray(v)
      ? v.map((item) => [typeof item === 'string' ? item : JSON.stringify(item), item])
      : isMap(v)
        ? Object.entries(v)
        : null;
    if (entries) return entries.map(([k, value]) => ({ key: `[${JSON.stringify(k)}]`, bindings: { each: { key: k, value } } }));
    warnings.push(`${base}: for_each is unknown (${v instanceof Unknown ? v.reason : 'not a map or set'}); read as one instance`);
    return [{ key: '[*]', bindings: { each: { key: new Unknown('each.key of an unknown for_each'), value: new Unknown('each.value of an unknown for_each') } } }];
  }
  return [{ key: '', bindings: {} }];
}

/** A block's attributes and nested blocks as values (nested blocks as lists of maps), with their lines. */
function blockValues(block: Node, scope: Scope, path: string, lines: Record<string, number>): ValueMap {
  const out: ValueMap = {};
  const body = bodyOf(block);
  if (!body) return out;
  const counts = new Map<string, number>();
  const push = (name: string, value: Value, line: number): void => {
    const index = counts.get(name) ?? 0;
    counts.set(name, index + 1);
    const list = (out[name] as Value[] | undefined) ?? [];
    list.push(value);
    out[name] = list;
    lines[`${path}${name}.${index}`] = line;
    if (index === 0) lines[`${path}${name}`] = line;
  };
  for (const item of named(body)) {
    if (item.type === 'attribute') {
      const name = named(item).find((c) => c.type === 'identifier')?.text;
      const expr = named(item).find((c) => c.type === 'expression');
      if (!name || !expr) continue;
      if (!path && ['count', 'for_each', 'provider', 'depends_on', 'lifecycle'].includes(name)) continue;
      out[name] = evaluate(expr, scope);
      lines[`${path}${name}`] = lineOf(item);
    } else if (item.type === 'block') {
      const { type, labels } = blockHeader(item);
      if (!path && (type === 'lifecycle' || type === 'provisioner' || type === 'connection')) continue;
      if (type === 'dynamic' && labels[0]) {
        const name = labels[0];
        const attrs = attributes(item);
        const forEach = attrs.get('for_each');
        const iterator = attrs.get('iterator')?.text.trim() ?? name;
        const content = nestedBlocks(item).find((b) => blockHeader(b).type === 'content');
        const collection = forEach ? evaluate(forEach, scope) : new Unknown('dynamic block without for_each');
        const entries: Array<[Value, Value]> | null = Array.isArray(collection)
          ? collection.map((v, i) => [i, v])
          : isMap(collection)
            ? Object.entries(collection)
            : null;
        if (!entries || !content) {
          push(name, new Unknown(`dynamic "${name}" block: its for_each is unknown (${collection instanceof Unknown ? collection.reason : 'not a collection'})`), lineOf(item));
          continue;
        }
        for (const [key, value] of entries) {
          const index = counts.get(name) ?? 0;
          push(name, blockValues(content, child(scope, { [iterator]: { key, value } }), `${path}${name}.${index}.`, lines), lineOf(item));
        }
        continue;
      }
      const index = counts.get(type) ?? 0;
      push(type, blockValues(item, scope, `${path}${type}.${index}.`, lines), lineOf(item));
    }
  }
  return out;
}

/** `.terraform/modules/modules.json` (written by terraform init): module key path → folder. */
function readModulesJson(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const path = join(dir, '.terraform', 'modules', 'modules.json');
  if (!existsSync(path)) return out;
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { Modules?: Array<{ Key?: string; Dir?: string }> };
    for (const m of data.Modules ?? []) if (m.Key && m.Dir) out.set(m.Key, resolve(dir, m.Dir));
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message}); run terraform init again`);
  }
  return out;
}

/** Where each resource block of a configuration is written: for a plan read with --tf-dir. Address without instance keys → file and line. */
export async function locateBlocks(dir: string, cwd: string): Promise<Map<string, { file: string; line: number; lines: Record<string, number> }>> {
  const out = new Map<string, { file: string; line: number; lines: Record<string, number> }>();
  const modulesIndex = readModulesJson(dir);
  const walk = async (moduleDir: string, prefix: string, keyPath: string[]): Promise<void> => {
    const module = await loadModule(moduleDir, cwd);
    for (const block of module.blocks) {
      const { type, labels } = blockHeader(block);
      const file = module.files.find((f) => f.tree === block.tree)?.file ?? display(moduleDir, cwd);
      if (type === 'resource' && labels.length >= 2) {
        const lines: Record<string, number> = {};
        collectLines(block, '', lines);
        out.set(`${prefix}${labels[0]}.${labels[1]}`, { file, line: lineOf(block), lines });
      } else if (type === 'module' && labels[0]) {
        const source = attributes(block).get('source');
        const text = source ? evaluate(source, emptyScope(moduleDir)) : null;
        if (typeof text !== 'string') continue;
        const path = [...keyPath, labels[0]];
        const next = text.startsWith('./') || text.startsWith('../') ? resolve(moduleDir, text) : modulesIndex.get(path.join('.'));
        if (next && existsSync(next)) await walk(next, `${prefix}module.${labels[0]}.`, path);
      }
    }
  };
  await walk(dir, '', []);
  return out;
}

function collectLines(block: Node, path: string, lines: Record<string, number>): void {
  const body = bodyOf(block);
  if (!body) return;
  const counts = new Map<string, number>();
  for (const item of named(body)) {
    if (item.type === 'attribute') {
      const name = named(item).find((c) => c.type === 'identifier')?.text;
      if (name) lines[`${path}${name}`] = lineOf(item);
    } else if (item.type === 'block') {
      const { type, labels } = blockHeader(item);
      const name = type === 'dynamic' ? (labels[0] ?? type) : type;
      const index = counts.get(name) ?? 0;
      counts.set(name, index + 1);
      lines[`${path}${name}.${index}`] = lineOf(item);
      if (index === 0) lines[`${path}${name}`] = lineOf(item);
      collectLines(type === 'dynamic' ? (nestedBlocks(item).find((b) => blockHeader(b).type === 'content') ?? item) : item, `${path}${name}.${index}.`, lines);
    }
  }
}

/** Local module folders a root module calls (so a folder walk does not read them as roots of their own). */
export async function localModuleDirs(dir: string, cwd: string): Promise<string[]> {
  const module = await loadModule(dir, cwd);
  const out: string[] = [];
  for (const block of module.blocks) {
    const { type } = blockHeader(block);
    if (type !== 'module') continue;
    const source = attributes(block).get('source');
    const text = source ? evaluate(source, emptyScope(dir)) : null;
    if (typeof text === 'string' && (text.startsWith('./') || text.startsWith('../'))) {
      const next = resolve(dir, text);
      out.push(next);
      if (existsSync(next)) out.push(...(await localModuleDirs(next, cwd)));
    }
  }
  return out;
}
