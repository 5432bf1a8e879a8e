import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import type { RuleIndexControl, RulesIndex } from '../model/rules-index.js';
import { paintSeverity } from './style.js';
import { wrapText } from './wrap.js';

/** `atrest rules` as a table: one row per rule, then what the control notes mean. */
export interface RulesTableOptions {
  style: ChalkInstance;
  width: number;
}

/** Short names for the controls column; the legend under the table gives the full titles. */
const FRAMEWORK_LABELS: Record<string, string> = {
  'aws-securityhub-fsbp': 'FSBP',
  'aws-securityhub': 'Security Hub',
  'cis-aws-3.0': 'CIS 3.0',
  'cis-aws-5.0': 'CIS 5.0',
  'aws-config': 'Config',
};

const label = (framework: string): string => FRAMEWORK_LABELS[framework] ?? framework;

/** What a level threshold demands, in words. */
const THRESHOLDS: Record<string, string> = { 'aws-owned': 'encrypted', 'aws-managed': 'a KMS key', 'customer-managed': 'a customer managed key' };

/** "FSBP EC2.3 (encrypted, attached volumes)": the control and what it demands itself, where that is not the rule's result. */
function controlText(c: RuleIndexControl): string {
  const notes = [
    c.test.kind === 'level-at-least' ? (THRESHOLDS[c.test.level] ?? `level ≥ ${c.test.level}`) : c.test.kind === 'key-rotation-enabled' ? 'rotation on' : null,
    c.scope === 'attached-volume' ? 'attached volumes' : c.scope,
  ].filter((n): n is string => Boolean(n));
  return `${label(c.framework)} ${c.control}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

export function renderRulesTable(index: RulesIndex, options: RulesTableOptions): string {
  const c = options.style;
  const width = Math.max(options.width, 120);
  // rule | what and why | relies on | fix | controls; 6 borders, each width counts 2 of padding.
  const ruleW = 31;
  const factsW = 25;
  const controlsW = 36;
  const flexible = width - 6 - ruleW - factsW - controlsW;
  const whyW = Math.max(30, Math.floor(flexible * 0.55));
  const fixW = Math.max(20, flexible - whyW);
  const wrap = (text: string, w: number): string => wrapText(text, w - 2);
  const table = new Table({
    head: ['rule', 'what and why', 'relies on (matrix)', 'fix', 'compliance controls'],
    colWidths: [ruleW, whyW, factsW, fixW, controlsW],
    style: { head: [], border: [] },
  });
  for (const rule of index.rules) {
    const controls =
      rule.compliance.length > 0
        ? rule.compliance.map((control) => wrap(controlText(control), controlsW)).join('\n')
        : c.gray(wrap(`none${rule.notMapped.length > 0 ? `; not mapped: ${rule.notMapped.map((n) => `${label(n.framework)} ${n.control}`).join(', ')}` : ''}`, controlsW));
    table.push([
      `${c.bold(wrap(rule.id, ruleW))}\n${paintSeverity(c, rule.severity)}`,
      `${c.bold(wrap(rule.title, whyW))}\n${wrap(rule.rationale, whyW)}`,
      rule.matrixFacts.length > 0 ? rule.matrixFacts.map((fact) => wrap(fact, factsW)).join('\n') : c.gray('-'),
      rule.remediation ? wrap(rule.remediation, fixW) : c.gray(wrap('each finding carries its own (it depends on the resource)', fixW)),
      controls,
    ]);
  }
  const frameworks = index.frameworks.map((f) => `  ${label(f.id)}: ${f.title} (${f.source})`);
  return [
    c.bold(`${index.rules.length} rules`) + ` · ${index.tool.name} ${index.tool.version}`,
    table.toString(),
    '',
    'Severity is the default for a failure: some findings raise or lower it (the message says why), and a policy can override it.',
    'Controls: in brackets, what the control itself demands of each resource (encrypted, a KMS key, a customer managed key, rotation on),',
    'judged whatever the policy demands; otherwise the control\'s result is the rule\'s. Why a related control is not mapped:',
    'atrest rules --format json, docs/compliance.md.',
    'Matrix facts: atrest matrix.',
    '',
    'Frameworks:',
    ...frameworks,
    '',
  ].join('\n');
}
