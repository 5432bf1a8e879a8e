import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { UsageError } from '../errors.js';
import type { ProtectionLevel } from '../model/levels.js';
import type { ServiceName } from '../model/services.js';
import type { Severity } from '../model/severity.js';
import { validator } from '../schema.js';
import { globMatch } from '../util/glob.js';
import { strictJsonProblems } from '../util/strict-json.js';
import { RULES } from '../engine/catalog.js';
import { MATRIX, resourceTypesOf, SERVICE_DESCRIPTORS } from '../services/list.js';
import { knownPartitions } from '../aws/region-names.js';
import { BUILT_IN_POLICIES } from './built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretPatternCovers } from '../services/lambda/secret-names.js';
import type { KeyListMap, Policy, RotationDemand, TagOverride, Waiver } from '../model/policy.js';
import { SCAN_INCOMPLETE } from '../rules/scan-coverage.js';

/**
 * Policy files (docs/policy.md): YAML or JSON. A file whose name ends in
 * `.json` must be strict JSON (RFC 8259: no trailing commas, no comments, no
 * single quotes), checked by src/util/strict-json.ts so a syntax error has a
 * line and column; anything else is YAML. Both are then read with the `yaml`
 * document API so every value keeps its line and column, validated against
 * schema/policy.schema.json (all errors, not the first) and then against
 * what only atrest knows (rule ids, resource types, real dates, key names).
 * `extends` chains resolve child over parent; a cycle is an error that names
 * the cycle. Every problem is reported as `FILE:LINE:COL: what is wrong
 * (expected …)`, and the command exits 2.
 */

export const DEFAULT_POLICY_FILE = 'atrest.policy.yaml';

export interface PolicyProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export class PolicyFileError extends UsageError {
  readonly problems: PolicyProblem[];
  constructor(problems: PolicyProblem[]) {
    const lines = problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
    super(`invalid policy: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** The shape of a policy file after schema validation. */
interface RotationFile {
  required?: boolean;
  maxPeriodDays?: number;
}
interface TypeSettingsFile {
  minimumLevel?: ProtectionLevel;
  allowedKeys?: string[];
}
interface ServiceSettingsFile extends TypeSettingsFile {
  rotation?: RotationFile;
  types?: Record<string, TypeSettingsFile>;
}
interface PolicyFileShape {
  name?: string;
  description?: string;
  extends?: string;
  minimumLevel?: ProtectionLevel;
  allowedKeys?: string[];
  rotation?: RotationFile;
  services?: Partial<Record<ServiceName, ServiceSettingsFile>>;
  levelFailureSeverity?: Severity;
  quotaHeadroomPercent?: number;
  tagOverrides?: Array<{
    name?: string;
    tags: Record<string, string>;
    services?: ServiceName[];
    minimumLevel?: ProtectionLevel;
    allowedKeys?: string[];
    rotation?: RotationFile;
    levelFailureSeverity?: Severity;
  }>;
  rules?: Record<string, { severity?: Severity; enabled?: boolean; reason?: string }>;
  scope?: { services?: ServiceName[]; regions?: string[]; include?: string[]; exclude?: string[] };
  waivers?: Array<{ rule: string; resource: string; reason: string; owner: string; expires: string }>;
  secretNamePatterns?: string[];
  extendSecretNamePatterns?: string[];
  remediation?: { defaultKey?: string };
  bucketPolicyMustRequire?: 'encryption' | 'kms';
}

/** A path as users read it: relative to the working directory when inside it. */
function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * `--policy VALUE`: a built-in name or a file. Without `--policy`, the
 * policy file `atrest.policy.yaml` of the working directory when there is
 * one, else the built-in baseline.
 */
export function resolvePolicy(value: string | undefined, cwd = process.cwd()): Policy {
  if (value === undefined) {
    const auto = resolve(cwd, DEFAULT_POLICY_FILE);
    if (existsSync(auto)) return loadPolicyFile(auto, cwd);
    return { ...BUILT_IN_POLICIES.baseline!, sources: ['baseline'] };
  }
  const builtIn = BUILT_IN_POLICIES[value];
  if (builtIn) return { ...builtIn, sources: [value] };
  const path = resolve(cwd, value);
  if (!existsSync(path)) {
    throw new UsageError(`--policy: "${value}" is neither a built-in policy (${Object.keys(BUILT_IN_POLICIES).join(', ')}) nor a file`);
  }
  return loadPolicyFile(path, cwd);
}

/** Reads, validates and resolves a policy file and its `extends` chain. Throws PolicyFileError with every problem. */
export function loadPolicyFile(path: string, cwd = process.cwd()): Policy {
  return checkPolicyFile(path, cwd).policy;
}

/**
 * As loadPolicyFile, and also what is valid but probably not meant (of the
 * file and every file it extends): a waiver for every resource, a
 * secretNamePatterns list that drops built-in patterns. `policy check`
 * prints these as warnings.
 */
export function checkPolicyFile(path: string, cwd = process.cwd()): { policy: Policy; warnings: PolicyProblem[] } {
  const warnings: PolicyProblem[] = [];
  const policy = load(resolve(cwd, path), cwd, [], warnings);
  return { policy, warnings: sortProblems(warnings) };
}

function load(path: string, cwd: string, chain: string[], warnings: PolicyProblem[]): Policy {
  const shown = display(path, cwd);
  if (chain.includes(path)) {
    const cycle = [...chain.slice(chain.indexOf(path)), path].map((p) => display(p, cwd)).join(' → ');
    throw new PolicyFileError([{ file: display(chain.at(-1)!, cwd), line: 1, col: 1, message: `extends cycle: ${cycle} (expected a chain that ends in baseline, strict or a file that extends nothing)` }]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read policy ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
  }
  const { data, problems, at, warnings: own } = parseAndValidate(text, shown, formatOf(path));
  warnings.push(...own);

  let parent: Policy = BUILT_IN_POLICIES.baseline!;
  let parentSources = ['baseline'];
  const ext = typeof data?.extends === 'string' ? data.extends : undefined;
  if (ext !== undefined) {
    const builtIn = BUILT_IN_POLICIES[ext];
    if (builtIn) {
      parent = builtIn;
      parentSources = [ext];
    } else {
      const parentPath = resolve(dirname(path), ext);
      if (!existsSync(parentPath)) {
        problems.push(at(['extends'], `cannot read "${ext}": no such file (expected baseline, strict or a policy file path relative to ${shown})`));
      } else {
        try {
          parent = load(parentPath, cwd, [...chain, path], warnings);
          parentSources = parent.sources ?? [display(parentPath, cwd)];
        } catch (error) {
          if (error instanceof PolicyFileError) problems.push(...error.problems);
          else if (error instanceof UsageError) problems.push(at(['extends'], error.message));
          else throw error;
        }
      }
    }
  }
  if (problems.length > 0 || !data) throw new PolicyFileError(sortProblems(problems));
  const policy = merge(parent, data, basename(path, extname(path)), shown, at);
  policy.sources = [shown, ...parentSources];
  return policy;
}

/** De-duplicated; by file in the order met (the file first, then what it extends), then line and column. */
function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  const files: string[] = [];
  const unique = problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.col}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (!files.includes(p.file)) files.push(p.file);
    return true;
  });
  return unique.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.col - b.col);
}

type Path = Array<string | number>;
type At = (path: Path, message: string, onKey?: boolean) => PolicyProblem;

export type PolicyFormat = 'json' | 'yaml';

/** A file whose name ends in .json is strict JSON; anything else is YAML (of which JSON is a subset). */
export function formatOf(file: string): PolicyFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

/** 1-based line and column (in UTF-16 units, like the yaml parser's) of an offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/** Parses YAML/JSON, validates against the schema and atrest's own knowledge. Never throws for bad input. */
export function parseAndValidate(
  text: string,
  file: string,
  format: PolicyFormat = formatOf(file),
): { data: PolicyFileShape | null; problems: PolicyProblem[]; at: At; warnings: PolicyProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const pos = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  const at: At = (path, message, onKey = false) => {
    const { node, exact } = locate(doc, path, onKey);
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = pos(offset);
    return { file, line, col, message: exact || !path.length ? message : `${path.join('.')}: ${message}` };
  };
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const empty = (): { data: null; problems: PolicyProblem[]; at: At; warnings: PolicyProblem[] } => {
    problems.push({ file, line: 1, col: 1, message: 'the file is empty (expected a mapping of policy fields such as extends, services, waivers; see docs/policy.md)' });
    return { data: null, problems, at, warnings };
  };

  let data: unknown;
  if (format === 'json') {
    // Strict JSON: the yaml parser would accept trailing commas, comments and
    // single quotes. The yaml document is still used to locate values.
    if (text.replace(/^\uFEFF/, '').trim() === '') return empty();
    const syntax = strictJsonProblems(text);
    for (const problem of syntax) problems.push({ file, ...lineCol(text, problem.offset), message: problem.message });
    if (syntax.length > 0) return { data: null, problems, at, warnings };
    data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } else {
    for (const error of [...doc.errors, ...doc.warnings]) {
      const { line, col } = pos(error.pos[0]);
      problems.push({ file, line, col, message: `${yamlMessage(error.code, error.message)} (expected valid YAML or JSON)` });
    }
    if (doc.errors.length > 0) return { data: null, problems, at, warnings };
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({ file, line: 1, col: 1, message: `${(error as Error).message} (expected valid YAML or JSON)` });
      return { data: null, problems, at, warnings };
    }
  }
  if (data === null || data === undefined) return empty();
  const validate = validator('policy.schema.json');
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const problem = schemaProblem(error, data, at);
      if (problem) problems.push(problem);
    }
  }
  if (typeof data === 'object' && !Array.isArray(data)) {
    problems.push(...semanticProblems(data as PolicyFileShape, at));
    warnings.push(...policyWarnings(data as PolicyFileShape, at));
  }
  return { data: data as PolicyFileShape, problems, at, warnings };
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return code === 'DUPLICATE_KEY' ? 'duplicate key: each field may appear once' : first;
}

/** The deepest node on the path (and whether it is the node itself). */
function locate(doc: Document, path: Path, onKey: boolean): { node: Node | undefined; exact: boolean } {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const prefix = path.slice(0, depth);
    if (onKey && depth === path.length && depth > 0) {
      const parent = prefix.length > 1 ? doc.getIn(prefix.slice(0, -1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(prefix.at(-1)));
        if (pair && isScalar(pair.key)) return { node: pair.key, exact: true };
      }
      continue;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(prefix, true);
    if (node && (isScalar(node) || isMap(node) || isSeq(node))) return { node: node as Node, exact: depth === path.length };
  }
  return { node: undefined, exact: false };
}

function pointerPath(pointer: string): Path {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value}"`;
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false' };

function schemaProblem(error: ErrorObject, data: unknown, at: At): PolicyProblem | null {
  // Errors under propertyNames carry the offending name; the propertyNames error itself reports it.
  if ((error as ErrorObject & { propertyName?: string }).propertyName) return null;
  // The branches of an anyOf each fail; the anyOf error says what was expected once.
  if (error.schemaPath.includes('/anyOf/')) return null;
  const path = pointerPath(error.instancePath);
  const value = valueAt(data, path);
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      const allowed = schema && typeof schema.properties === 'object' ? Object.keys(schema.properties as object).filter((k) => k !== '$schema') : [];
      return at([...path, prop], `unknown field "${prop}" (expected ${allowed.length ? `one of ${allowed.join(', ')}` : 'no other field'})`, true);
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const required = Array.isArray(schema?.required) ? (schema!.required as string[]) : [missing];
      return at(path, `missing field "${missing}" (expected ${required.join(', ')})`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
      return at(path, `${kind(value)} is not allowed here (expected one of ${allowed})`);
    }
    case 'type':
      return at(path, `${kind(value)} is the wrong type (expected ${TYPE_WORDS[String(params.type)] ?? String(params.type)})`);
    case 'pattern': {
      const pattern = String(params.pattern);
      const expected = pattern.includes('[0-9]{4}')
        ? 'a date YYYY-MM-DD or an ISO 8601 date-time such as 2027-03-31T12:00:00Z'
        : pattern.includes('\\*|')
          ? 'a rule id such as S3.ENCRYPTION_LEVEL, or *'
          : pattern.includes('[A-Z0-9]')
            ? 'a rule id such as S3.ENCRYPTION_LEVEL'
            : pattern.includes('[a-z]{2}')
              ? 'a region name such as us-east-1'
              : `text matching ${pattern}`;
      return at(path, `${kind(value)} is malformed (expected ${expected})`);
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      return at([...path, name], `"${name}" is not a rule id (expected SERVICE.WHAT, such as S3.ENCRYPTION_LEVEL)`, true);
    }
    case 'minimum':
    case 'maximum':
      return at(path, `${kind(value)} is out of range (expected a whole number from ${schema?.minimum ?? '…'} to ${schema?.maximum ?? '…'})`);
    case 'minItems':
      return at(path, `the list is empty (expected at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'})`);
    case 'minProperties':
      return at(path, `the mapping is empty (expected at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'})`);
    case 'minLength':
      return at(path, 'the text is empty (expected non-empty text)');
    case 'maxLength':
      return at(path, `the text is too long (expected at most ${String(params.limit)} characters)`);
    case 'anyOf':
      if (path.includes('tagOverrides')) return at(path, 'the tag override demands nothing (expected at least one of minimumLevel, allowedKeys, rotation, levelFailureSeverity)');
      return at(path, `${kind(value)} does not match (expected ${error.message ?? 'a valid value'})`);
    default:
      return at(path, `${error.message ?? 'invalid'} (expected see schema/policy.schema.json)`);
  }
}

const KNOWN_RULES = (): Set<string> => new Set([...RULES.map((r) => r.id), SCAN_INCOMPLETE.id]);
const KEY_NAME = /^(arn:[a-z-]+:kms:[a-z0-9-]*:\d{12}:(key|alias)\/.+|alias\/.+|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** What the schema cannot know: rule ids, resource types, calendar dates, key names. */
function semanticProblems(data: PolicyFileShape, at: At): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const rules = KNOWN_RULES();
  const checkKeys = (list: unknown, path: Path): void => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry.includes('*') || entry.includes('?') || KEY_NAME.test(entry)) return;
      problems.push(at([...path, i], `"${entry}" is not a KMS key (expected a key ARN, a key id, an alias name such as alias/app-data, an alias ARN, or a glob)`));
    });
  };
  checkKeys(data.allowedKeys, ['allowedKeys']);
  const defaultKey = data.remediation && typeof data.remediation === 'object' ? data.remediation.defaultKey : undefined;
  if (typeof defaultKey === 'string' && (defaultKey.includes('*') || defaultKey.includes('?'))) {
    problems.push(at(['remediation', 'defaultKey'], `"${defaultKey}" is a glob; fixes need one key (expected a key ARN, a key id, an alias name such as alias/app-data or an alias ARN)`));
  } else if (typeof defaultKey === 'string') {
    checkKeys([defaultKey], ['remediation', 'defaultKey']);
  }
  if (data.services && typeof data.services === 'object') {
    for (const [service, settings] of Object.entries(data.services)) {
      if (!settings || typeof settings !== 'object') continue;
      checkKeys(settings.allowedKeys, ['services', service, 'allowedKeys']);
      const entry = MATRIX[service as ServiceName];
      if (!entry || !settings.types || typeof settings.types !== 'object') continue;
      const types = resourceTypesOf(service as ServiceName);
      for (const [type, typeSettings] of Object.entries(settings.types)) {
        if (!types.includes(type)) {
          problems.push(at(['services', service, 'types', type], `unknown resource type "${type}" for ${service} (expected one of ${types.join(', ')})`, true));
        }
        if (typeSettings && typeof typeSettings === 'object') checkKeys(typeSettings.allowedKeys, ['services', service, 'types', type, 'allowedKeys']);
      }
    }
  }
  if (Array.isArray(data.tagOverrides)) {
    data.tagOverrides.forEach((o, i) => {
      if (o && typeof o === 'object') checkKeys(o.allowedKeys, ['tagOverrides', i, 'allowedKeys']);
    });
  }
  if (data.rules && typeof data.rules === 'object') {
    for (const [id, settings] of Object.entries(data.rules)) {
      if (/^[A-Z0-9]+\.[A-Z0-9_]+$/.test(id) && !rules.has(id)) {
        problems.push(at(['rules', id], `unknown rule "${id}" (expected one of ${[...rules].sort().join(', ')})`, true));
      }
      if (id === SCAN_INCOMPLETE.id && settings && typeof settings === 'object' && settings.enabled === false) {
        problems.push(
          at(
            ['rules', id, 'enabled'],
            `${SCAN_INCOMPLETE.id} cannot be turned off: an unread resource is never a pass (expected a waiver with rule ${SCAN_INCOMPLETE.id} for the specific resources or service-regions, with a reason, an owner and an expiry)`,
          ),
        );
      }
    }
  }
  if (Array.isArray(data.waivers)) {
    data.waivers.forEach((w, i) => {
      if (!w || typeof w !== 'object') return;
      if (typeof w.rule === 'string' && w.rule !== '*' && /^[A-Z0-9]+\.[A-Z0-9_]+$/.test(w.rule) && !rules.has(w.rule)) {
        problems.push(at(['waivers', i, 'rule'], `unknown rule "${w.rule}" (expected * or one of ${[...rules].sort().join(', ')})`));
      }
      if (typeof w.expires === 'string' && /^\d{4}-\d{2}-\d{2}/.test(w.expires) && !realDate(w.expires)) {
        problems.push(at(['waivers', i, 'expires'], `"${w.expires}" is not a calendar date (expected a real date YYYY-MM-DD)`));
      }
    });
  }
  return problems;
}

/**
 * One ARN of every kind the report names, per partition (from the service
 * descriptors' `exampleArns`), with its ARN service namespace: a waiver
 * resource pattern that matches ARNs of several namespaces is a waiver for
 * (nearly) everything, whatever it looks like (`*`, `arn:*`, `arn:aws:*:*:*:*`).
 */
const PROBE_ARNS = (partition: string): Array<[string, string]> =>
  SERVICE_DESCRIPTORS.flatMap((d) => d.exampleArns(partition)).map((arn) => [arn.split(':')[2]!, arn]);
/** Every partition the SDK knows (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc, …): a glob may target any of them. */
const PARTITIONS = (): string[] => knownPartitions();
const PROBED_SERVICES = new Set(PROBE_ARNS('aws').map(([service]) => service)).size;

/** The services whose ARNs a waiver resource pattern matches, when that is more than one; else null. */
export function broadWaiverPattern(pattern: string): string[] | null {
  for (const partition of PARTITIONS()) {
    const services = [...new Set(PROBE_ARNS(partition).filter(([, arn]) => globMatch(pattern, arn)).map(([service]) => service))];
    if (services.length > 1) return services;
  }
  return null;
}

/** Valid, but probably not what the author meant. */
function policyWarnings(data: PolicyFileShape, at: At): PolicyProblem[] {
  const warnings: PolicyProblem[] = [];
  if (Array.isArray(data.waivers)) {
    data.waivers.forEach((w, i) => {
      if (!w || typeof w !== 'object' || typeof w.resource !== 'string') return;
      const services = broadWaiverPattern(w.resource);
      if (!services) return;
      const reach = services.length === PROBED_SERVICES ? 'every resource of every service' : `resources of several services (${services.join(', ')})`;
      warnings.push(
        at(
          ['waivers', i, 'resource'],
          `waiver resource "${w.resource}" matches ${reach}: it would excuse findings nobody has reviewed, including ones that appear later (expected the ARNs, or a narrow glob such as arn:aws:s3:::legacy-*, of the resources the waiver is for)`,
        ),
      );
    });
  }
  if (Array.isArray(data.secretNamePatterns) && data.secretNamePatterns.every((p) => typeof p === 'string')) {
    const list = data.secretNamePatterns;
    const dropped = DEFAULT_SECRET_NAME_PATTERNS.filter((builtIn) => !list.some((p) => secretPatternCovers(p, builtIn)));
    if (list.length === 0) {
      warnings.push(at(['secretNamePatterns'], 'an empty secretNamePatterns turns the secret-looking name check off (expected extendSecretNamePatterns to add names to the built-in list)'));
    } else if (dropped.length > 0) {
      warnings.push(
        at(
          ['secretNamePatterns'],
          `secretNamePatterns replaces the built-in list, and this one no longer catches ${dropped.join(', ')} (expected extendSecretNamePatterns to add names to the built-in list, or every built-in pattern you mean to keep)`,
        ),
      );
    }
  }
  return warnings;
}

function realDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return value.length === 10 || !Number.isNaN(new Date(value).getTime());
}

/** Child over parent, field by field (docs/policy.md, "extends"). */
function merge(parent: Policy, data: PolicyFileShape, defaultName: string, file: string, at: At): Policy {
  const minimumLevel = { ...parent.minimumLevel } as Policy['minimumLevel'] & Record<string, ProtectionLevel>;
  const allowedKeys: KeyListMap = { ...(parent.allowedKeys ?? {}) };
  const rotationByService: Partial<Record<ServiceName, Partial<RotationDemand>>> = { ...(parent.rotationByService ?? {}) };
  if (data.minimumLevel) minimumLevel.default = data.minimumLevel;
  if (data.allowedKeys) allowedKeys.default = [...data.allowedKeys];
  for (const [service, settings] of Object.entries(data.services ?? {}) as Array<[ServiceName, ServiceSettingsFile]>) {
    if (settings.minimumLevel) minimumLevel[service] = settings.minimumLevel;
    if (settings.allowedKeys) allowedKeys[service] = [...settings.allowedKeys];
    if (settings.rotation) rotationByService[service] = { ...(rotationByService[service] ?? {}), ...settings.rotation };
    for (const [type, t] of Object.entries(settings.types ?? {})) {
      if (t.minimumLevel) minimumLevel[`${service}:${type}`] = t.minimumLevel;
      if (t.allowedKeys) allowedKeys[`${service}:${type}`] = [...t.allowedKeys];
    }
  }
  const source = (path: Path): string => {
    const p = at(path, '');
    return `${p.file}:${p.line}:${p.col}`;
  };
  const tagOverrides: TagOverride[] = (data.tagOverrides ?? []).map((o, i) => ({
    name: o.name ?? `${file} tagOverrides[${i}]`,
    tags: { ...o.tags },
    ...(o.services ? { services: [...o.services] } : {}),
    ...(o.minimumLevel ? { minimumLevel: o.minimumLevel } : {}),
    ...(o.allowedKeys ? { allowedKeys: [...o.allowedKeys] } : {}),
    ...(o.rotation ? { rotation: { ...o.rotation } } : {}),
    ...(o.levelFailureSeverity ? { levelFailureSeverity: o.levelFailureSeverity } : {}),
    source: source(['tagOverrides', i]),
  }));
  const severity = { ...parent.severity };
  const disabled = new Set(parent.disabledRules);
  const reasons = { ...(parent.disabledRuleReasons ?? {}) };
  for (const [id, settings] of Object.entries(data.rules ?? {})) {
    if (settings.severity) severity[id] = settings.severity;
    if (settings.enabled === false) {
      disabled.add(id);
      reasons[id] = settings.reason ?? `turned off in ${source(['rules', id])} (no reason given)`;
    } else if (settings.enabled === true) {
      disabled.delete(id);
      delete reasons[id];
    }
  }
  const waivers: Waiver[] = [
    ...(data.waivers ?? []).map((w, i) => ({ ...w, source: source(['waivers', i]) })),
    ...(parent.waivers ?? []),
  ];
  const scope = data.scope || parent.scope ? { ...(parent.scope ?? {}), ...(data.scope ?? {}) } : undefined;
  // Start from the parent so every field a Policy has — including ones added
  // later with built-in defaults — is inherited unless this file sets it.
  const policy: Policy = {
    ...parent,
    name: data.name ?? defaultName,
    description: data.description ?? (data.extends ? `${parent.description} (adjusted by ${file})` : `policy file ${file}, based on baseline`),
    minimumLevel,
    rotation: { ...parent.rotation, ...(data.rotation ?? {}) },
    severity,
    disabledRules: [...disabled].sort(),
  };
  delete policy.sources;
  if (Object.keys(allowedKeys).length > 0) policy.allowedKeys = allowedKeys;
  if (Object.keys(rotationByService).length > 0) policy.rotationByService = rotationByService;
  // Child overrides are tried first: the most specific policy decides.
  const overrides = [...tagOverrides, ...(parent.tagOverrides ?? [])];
  if (overrides.length > 0) policy.tagOverrides = overrides;
  if (Object.keys(reasons).length > 0) policy.disabledRuleReasons = reasons;
  if (scope) policy.scope = scope;
  if (waivers.length > 0) policy.waivers = waivers;
  if (data.levelFailureSeverity) policy.levelFailureSeverity = data.levelFailureSeverity;
  if (data.remediation?.defaultKey) policy.remediation = { ...(parent.remediation ?? {}), defaultKey: data.remediation.defaultKey };
  if (data.quotaHeadroomPercent !== undefined) policy.quotaHeadroomPercent = data.quotaHeadroomPercent;
  if (data.bucketPolicyMustRequire) policy.bucketPolicyMustRequire = data.bucketPolicyMustRequire;
  if (data.secretNamePatterns) policy.secretNamePatterns = [...data.secretNamePatterns];
  if (data.extendSecretNamePatterns) {
    // Adds to what this file would otherwise use: its own list, else the inherited one.
    const list = [...policy.secretNamePatterns];
    for (const p of data.extendSecretNamePatterns) if (!list.some((q) => q.toUpperCase() === p.toUpperCase())) list.push(p);
    policy.secretNamePatterns = list;
  }
  return policy;
}
