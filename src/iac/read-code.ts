import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import type { IacFormat } from '../model/inventory.js';
import { looksLikeTemplate, readCloudFormation, CFN_TAGS } from './cloudformation.js';
import type { CodeReadResult } from './model.js';
import { looksLikePlan, readTerraformPlan } from './terraform-plan.js';
import { localModuleDirs, locateBlocks, readTerraformDir, tfFiles } from './terraform-files.js';

/**
 * Finds and reads the code `atrest iac` is given: files or folders, each
 * format detected by content (a plan is JSON with format_version and
 * resource_changes; a template has AWSTemplateFormatVersion or typed
 * Resources; a folder with .tf files is a Terraform root module), or forced
 * with --iac-format. A file given by name that is none of them is an error
 * naming it; a folder is walked, and files in it that are none of them are
 * left alone (YAML workflows, package.json, …).
 */

export interface ReadCodeOptions {
  cwd: string;
  format?: IacFormat;
  cfnConditions: ReadonlyMap<string, boolean>;
  /** --tf-dir: the configuration of the plans, for file and line. */
  tfDir?: string;
  log: (message: string) => void;
}

interface Input {
  format: IacFormat;
  path: string;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform']);

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** What a data file is, by content: a plan, a template, or neither. */
function detectData(path: string): IacFormat | null {
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseYaml(text, { customTags: CFN_TAGS, logLevel: 'silent' });
  } catch {
    return null;
  }
  if (looksLikePlan(data)) return 'terraform-plan';
  if (looksLikeTemplate(data)) return 'cloudformation';
  return null;
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template', '.cfn']);

async function discover(paths: readonly string[], options: ReadCodeOptions): Promise<Input[]> {
  const inputs: Input[] = [];
  const roots: string[] = [];
  for (const given of paths) {
    const path = resolve(options.cwd, given);
    if (!existsSync(path)) throw new UsageError(`${given}: no such file or folder`);
    const stat = statSync(path);
    if (stat.isFile()) {
      if (path.endsWith('.tf')) {
        roots.push(resolve(path, '..'));
        continue;
      }
      const format = options.format ?? detectData(path);
      if (!format) {
        throw new UsageError(`${given}: not a Terraform plan (terraform show -json), a CloudFormation template or a .tf file (expected one of them, or --iac-format to say which)`);
      }
      if (format === 'terraform') roots.push(resolve(path, '..'));
      else inputs.push({ format, path });
      continue;
    }
    const walk = (dir: string): void => {
      const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (tfFiles(dir).length > 0 && options.format !== 'cloudformation' && options.format !== 'terraform-plan') roots.push(dir);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) walk(full);
          continue;
        }
        if (!DATA_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
        const format = detectData(full);
        if (format && (!options.format || options.format === format)) inputs.push({ format, path: full });
        else options.log(`iac: ${display(full, options.cwd)} is not a plan or a template; skipped`);
      }
    };
    walk(path);
  }
  // A folder that another root calls as a local module is read through that call, not as a root of its own.
  const unique = [...new Set(roots)];
  const called = new Set<string>();
  for (const root of unique) for (const dir of await localModuleDirs(root, options.cwd)) called.add(resolve(dir));
  for (const root of unique) if (!called.has(resolve(root))) inputs.push({ format: 'terraform', path: root });
  if (inputs.length === 0) {
    throw new UsageError(`${paths.join(', ')}: no Terraform plan, .tf files or CloudFormation template found${options.format ? ` of format ${options.format}` : ''}`);
  }
  return inputs;
}

export interface CodeRead extends CodeReadResult {
  /** The inputs read, as displayed paths with their format. */
  inputs: Array<{ format: IacFormat; path: string }>;
}

export async function readCode(paths: readonly string[], options: ReadCodeOptions): Promise<CodeRead> {
  const inputs = await discover(paths, options);
  const out: CodeRead = { resources: [], context: {}, warnings: [], inputs: [] };
  const tfLocations = options.tfDir ? await locateBlocks(resolve(options.cwd, options.tfDir), options.cwd) : null;
  if (options.tfDir && tfLocations && tfLocations.size === 0) throw new UsageError(`--tf-dir ${options.tfDir}: no resource blocks in its .tf files`);
  for (const input of inputs) {
    const shown = display(input.path, options.cwd);
    out.inputs.push({ format: input.format, path: shown });
    let result: CodeReadResult;
    if (input.format === 'terraform') {
      result = await readTerraformDir(input.path, { cwd: options.cwd });
    } else if (input.format === 'terraform-plan') {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(input.path, 'utf8'));
      } catch (error) {
        throw new UsageError(`${shown}: not valid JSON: ${(error as Error).message}`);
      }
      result = readTerraformPlan(data, shown);
      if (tfLocations) {
        for (const resource of result.resources) {
          const where = tfLocations.get(resource.address.replace(/\[[^\]]*\]/g, ''));
          if (!where) continue;
          resource.file = where.file;
          resource.line = where.line;
          resource.lines = where.lines;
        }
      }
    } else {
      result = readCloudFormation(readFileSync(input.path, 'utf8'), shown, { conditions: options.cfnConditions });
    }
    out.resources.push(...result.resources);
    out.warnings.push(...result.warnings);
    out.context.accountId ??= result.context.accountId;
    out.context.region ??= result.context.region;
  }
  return out;
}
