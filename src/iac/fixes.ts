import type { KeyRecord, Resource } from '../model/inventory.js';
import type { CodeFix, Finding, Report } from '../model/report.js';
import { isGlob } from '../util/glob.js';
import type { Policy } from '../model/policy.js';
import { requirementFor } from '../policy/requirement.js';
import { KEY_PLACEHOLDER, type ChosenKey, type FixPlan } from './fix-model.js';
import type { IacKnowledge } from './kinds.js';
import { cloudFormationSnippet, terraformSnippet } from './fix-render.js';

/**
 * Fixes as code for failing findings: which builder of which service writes
 * the change, with which key. Used by `atrest iac` (each failing finding of a
 * pre-deploy resource carries its `fix`) and by `atrest fix` (files for the
 * failing findings of any report, live or pre-deploy).
 */

/** Rules fixed by encrypting the resource with the chosen key. */
function movesToKey(ruleId: string): boolean {
  // The level rules (S3.ENCRYPTION_LEVEL, EBS.VOLUME_ENCRYPTION, EFS.FILE_SYSTEM_ENCRYPTION, …); snapshots and backups have no code to change (their builders say so).
  return ruleId === 'KMS.ALLOWED_KEYS' || /\.([A-Z_]+_)?ENCRYPTION(_LEVEL)?$/.test(ruleId);
}

/**
 * The key a fix names: the policy's remediation.defaultKey, else the first
 * allowed key (for this resource, after tag overrides) that is not a glob,
 * else a placeholder whose name says what to put there. Never an invented ARN.
 */
export function chooseKey(policy: Policy, resource: Resource): ChosenKey {
  const preferred = policy.remediation?.defaultKey;
  if (preferred) return { value: preferred, from: 'policy.remediation.defaultKey' };
  const allowed = requirementFor(policy, resource).allowedKeys?.find((k) => !isGlob(k));
  if (allowed) return { value: allowed, from: 'policy.allowedKeys' };
  return { value: KEY_PLACEHOLDER, from: 'placeholder' };
}

/** The fix plan for a failing finding, or null when no code change fixes it (a key to re-import, a key policy to review). */
export function fixPlanFor(finding: Finding, resource: Resource, policy: Policy, report: { resources: ReadonlyMap<string, Resource>; keys: ReadonlyMap<string, KeyRecord> }, knowledge: IacKnowledge): { plan: FixPlan; key: ChosenKey | null; on: Resource } | null {
  const enableKey = knowledge.enableKey;
  const key = chooseKey(policy, resource);
  const { resources } = report;
  const input = { finding, resource, key, policy, resources, keys: report.keys };
  if (finding.ruleId === 'KMS.KEY_STATE') {
    // A key the same code creates disabled: enable it there. Otherwise move the resource to a usable key.
    const keyResource = resource.protection.keyArn ? resources.get(resource.protection.keyArn) : undefined;
    if (keyResource?.source && keyResource.attributes.state === 'Disabled') {
      const plan = enableKey?.({ ...input, resource: keyResource });
      if (plan) return { plan, key: null, on: keyResource };
    }
    const builder = knowledge.setKey[resource.service];
    const plan = builder?.(input);
    return plan ? { plan, key, on: resource } : null;
  }
  const rule = knowledge.ruleFixes[finding.ruleId];
  if (rule) {
    const plan = rule(input);
    const keyed = finding.ruleId === 'EBS.DEFAULT_KEY_LEVEL';
    return plan ? { plan, key: keyed ? key : null, on: resource } : null;
  }
  if (movesToKey(finding.ruleId)) {
    const plan = knowledge.setKey[resource.service]?.(input);
    return plan ? { plan, key, on: resource } : null;
  }
  return null;
}

/** The code fix of a plan for the format of the resource's code. */
export function codeFix(plan: FixPlan, key: ChosenKey | null, on: Resource): CodeFix | null {
  const source = on.source;
  if (!source) return null;
  const cfn = source.format === 'cloudformation';
  const changes = cfn ? plan.cloudformation : plan.terraform;
  if (changes.length === 0) return null;
  const main = changes.at(-1)!;
  const code = cfn
    ? plan.cloudformation.map((c) => cloudFormationSnippet(c)).join('---\n')
    : plan.terraform.map((c) => terraformSnippet(c)).join('\n');
  const address = cfn ? (main as (typeof plan.cloudformation)[number]).logicalId : (() => {
    const c = main as (typeof plan.terraform)[number];
    const prefix = source.address.slice(0, Math.max(0, source.address.lastIndexOf(`${source.kind}.`)));
    return c.action === 'set' && c.kind === source.kind ? source.address : `${prefix}${c.kind}.${c.name}`;
  })();
  return {
    format: cfn ? 'cloudformation' : 'terraform',
    file: main.file,
    line: main.line,
    address,
    action: cfn ? ((main as (typeof plan.cloudformation)[number]).add ? 'add-resource' : 'set') : (main as (typeof plan.terraform)[number]).action,
    summary: plan.summary,
    code,
    key: key ? { value: key.value, from: key.from } : null,
    replacement: plan.replacement,
    ...(plan.runbook && plan.runbook.length > 0 ? { runbook: plan.runbook } : {}),
  };
}

/**
 * Adds its fix to every failing finding of a pre-deploy resource (and puts
 * the code in the remediation's terraform / cloudformation field, where
 * every reporter already shows it).
 */
export function addFixes(report: Report, policy: Policy, knowledge: IacKnowledge): void {
  const resources = new Map(report.resources.map((r) => [r.arn, r]));
  const keys = new Map<string, KeyRecord>(report.keys.map((k) => [k.arn, k]));
  for (const finding of report.findings) {
    if (finding.status !== 'fail') continue;
    const resource = resources.get(finding.resourceArn);
    if (!resource?.source) continue;
    const planned = fixPlanFor(finding, resource, policy, { resources, keys }, knowledge);
    if (!planned) continue;
    const fix = codeFix(planned.plan, planned.key, planned.on);
    if (!fix) continue;
    finding.fix = fix;
    if (finding.remediation) {
      if (fix.format === 'terraform') finding.remediation.terraform = fix.code;
      else finding.remediation.cloudformation = fix.code;
    }
  }
}
