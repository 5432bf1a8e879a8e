import type { Resource } from '../model/inventory.js';
import type { Finding } from '../model/report.js';
import type { ChosenKey, FixPlan } from '../iac/fix-model.js';
import { cloudFormationTemplate, importBlock, terraformBlock } from '../iac/fix-render.js';

/**
 * The files `atrest fix` writes: one per resource, in the format asked for.
 * A change that replaces the resource says so first, with the migration
 * runbook, before any code. A renderer: the plans come from src/iac/fixes.ts.
 */

export type FixFormat = 'terraform' | 'cloudformation' | 'cli';
export const FIX_FORMATS: readonly FixFormat[] = ['terraform', 'cloudformation', 'cli'];

export interface ResourceFixes {
  resource: Resource;
  /** The failing findings of the resource, each with its plan (null when no code change fixes it). */
  items: Array<{ finding: Finding; plan: FixPlan | null; key: ChosenKey | null }>;
}

export interface FixFile {
  name: string;
  text: string;
}

const EXTENSION: Record<FixFormat, string> = { terraform: 'tf', cloudformation: 'yaml', cli: 'sh' };

export function fixFileName(resource: Resource, format: FixFormat, taken: Set<string>): string {
  const id = (resource.source?.address ?? resource.id).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'resource';
  const base = `${resource.service}-${resource.type}-${id}`.toLowerCase();
  let name = `${base}.${EXTENSION[format]}`;
  for (let i = 2; taken.has(name); i += 1) name = `${base}-${i}.${EXTENSION[format]}`;
  taken.add(name);
  return name;
}

function where(resource: Resource): string {
  const s = resource.source;
  if (!s) return `${resource.arn} (live, ${resource.region})`;
  return `${s.address} (${s.file}${s.line ? `:${s.line}` : ''})`;
}

/** The comment lines every file starts with: what, which findings, and — first — a replacement warning with its runbook. */
function header(entry: ResourceFixes, comment: string): string[] {
  const lines: string[] = [];
  const replacing = entry.items.filter((i) => i.plan?.replacement);
  if (replacing.length > 0) {
    lines.push('REPLACEMENT: this change cannot be made in place. Applying it creates a NEW, EMPTY resource and deletes the old one.');
    lines.push('Migrate the data first, in this order:');
    const runbook = [...new Set(replacing.flatMap((i) => i.plan?.runbook ?? []))];
    runbook.forEach((step, n) => lines.push(`  ${n + 1}. ${step}`));
    lines.push('');
  }
  lines.push(`atrest fix for ${entry.resource.service} ${entry.resource.type} ${where(entry.resource)}`);
  for (const { finding, plan, key } of entry.items) {
    lines.push(`- ${finding.ruleId} (${finding.severity}): ${finding.message}`);
    lines.push(`  fix: ${plan ? plan.summary : (finding.remediation?.summary ?? 'see the finding')}`);
    if (key?.from === 'placeholder') lines.push(`  key: ${key.value} is a placeholder: put the ARN of the customer managed key to use (or set remediation.defaultKey in the policy)`);
    else if (key) lines.push(`  key: ${key.value} (from ${key.from})`);
    if (!plan) for (const step of finding.remediation?.steps ?? []) lines.push(`  step: ${step}`);
  }
  return lines.map((l) => (l ? `${comment} ${l}` : comment));
}

export function renderFixFile(entry: ResourceFixes, format: FixFormat): string {
  if (format === 'terraform') {
    const out = [...header(entry, '#'), ''];
    const live = !entry.resource.source;
    const blocks: string[] = [];
    const seen = new Set<string>();
    for (const { plan } of entry.items) {
      for (const change of plan?.terraform ?? []) {
        const id = `${change.mode ?? 'managed'}.${change.kind}.${change.name}`;
        if (seen.has(id) && change.mode === 'data') continue;
        seen.add(id);
        const block: string[] = [];
        if (change.action === 'set') block.push(`# set in ${change.kind}.${change.name}${change.file ? ` (${change.file}${change.line ? `:${change.line}` : ''})` : ''}; keep its other arguments`);
        if (live && change.importId && change.mode !== 'data') {
          block.push(plan!.replacement ? `# after the migration, manage the new resource as code (replace ${change.importId} with its id)` : '# import the live resource, then plan: terraform plan -generate-config-out=generated.tf writes its other arguments; merge these settings into it');
          block.push(importBlock(change).trimEnd());
        }
        block.push(terraformBlock(change).trimEnd());
        blocks.push(block.join('\n'));
      }
    }
    return `${[...out, ...blocks].join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
  }
  if (format === 'cloudformation') {
    const changes = entry.items.flatMap((i) => i.plan?.cloudformation ?? []);
    const head = header(entry, '').map((l) => l.replace(/^ /, ''));
    if (changes.length === 0) return `${head.map((l) => `# ${l}`).join('\n')}\n# CloudFormation has no resource for this setting: apply the fix with the AWS CLI (atrest fix --format cli) or Terraform.\n`;
    if (entry.resource.source?.format !== 'cloudformation') head.push('', 'To bring the resource under CloudFormation, import it into a stack (IMPORT change set) with these properties and DeletionPolicy: Retain.');
    else head.push('', 'Merge these properties into the resource of the same logical id in its template.');
    return cloudFormationTemplate(changes, head);
  }
  const out = ['#!/bin/sh', 'set -eu', ...header(entry, '#'), ''];
  for (const { finding, plan, key } of entry.items) {
    const r = finding.remediation;
    if (!r) continue;
    const fill = (text: string): string => (key ? text.replaceAll('KEY_ARN', key.value) : text);
    out.push(`# ${finding.ruleId}: ${r.summary}`);
    if (plan?.replacement) {
      for (const step of plan.runbook ?? r.steps) out.push(/^aws /.test(step) ? fill(step.replace(/ \(.*\)$/, '')) : `# ${fill(step)}`);
    } else if (r.cli) {
      out.push(fill(r.cli));
      // The code fix's own change, when it is another (KMS.KEY_STATE: move to a usable key instead of saving this one).
      const other = (plan?.cli ?? []).filter((c) => c !== fill(r.cli!));
      if (other.length > 0) out.push(`# or: ${plan!.summary}`, ...other);
    } else if (plan?.cli) {
      out.push(...plan.cli);
    } else {
      for (const step of r.steps) out.push(`# ${fill(step)}`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
