import type { RuleIndexControl, RulesIndex } from '../model/rules-index.js';
import { paintSeverity, plainTable, type TableTarget } from './style.js';
import { wrapText } from './wrap.js';

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

/**
 * `atrest rules` as a table. An overview table (rule, severity, what fails, the fix, the controls), then
 * each rule's rationale, the matrix facts it relies on and the controls it
 * deliberately does not map. Long prose stays out of the table cells: the
 * table library re-measures a multi-line cell once per line, so a
 * paragraph-sized cell costs seconds.
 */
export function renderRulesTable(index: RulesIndex, options: TableTarget): string {
  const c = options.style;
  const width = Math.max(options.width, 120);
  // rule | severity | what fails | fix | controls; 6 borders, each width counts 2 of padding.
  const ruleW = 31;
  const severityW = 10;
  const controlsW = 40;
  const flexible = width - 6 - ruleW - severityW - controlsW;
  const titleW = Math.max(24, Math.floor(flexible * 0.4));
  const fixW = Math.max(24, flexible - titleW);
  const wrap = (text: string, w: number): string => wrapText(text, w - 2);
  const table = plainTable({
    head: ['rule', 'severity', 'what fails', 'fix', 'compliance controls'],
    colWidths: [ruleW, severityW, titleW, fixW, controlsW],
  });
  for (const rule of index.rules) {
    const controls =
      rule.compliance.length > 0 ? rule.compliance.map((control) => wrap(controlText(control), controlsW)).join('\n') : c.gray('none (see below)');
    table.push([
      c.bold(wrap(rule.id, ruleW)),
      paintSeverity(c, rule.severity),
      wrap(rule.title, titleW),
      rule.remediation ? wrap(rule.remediation, fixW) : c.gray(wrap('each finding carries its own (it depends on the resource)', fixW)),
      controls,
    ]);
  }

  const indent = (text: string): string => wrapText(text, width - 4).replace(/^/gm, '    ');
  const details: string[] = [];
  for (const rule of index.rules) {
    details.push(`  ${c.bold(rule.id)}`, indent(rule.rationale));
    if (rule.matrixFacts.length > 0) details.push(indent(`Relies on the matrix: ${rule.matrixFacts.join(', ')}.`));
    if (rule.noControl) details.push(c.gray(indent(`Controls: none. ${rule.noControl.charAt(0).toUpperCase()}${rule.noControl.slice(1)}.`)));
    for (const n of rule.notMapped) details.push(c.gray(indent(`Not mapped: ${label(n.framework)} ${n.control}: ${n.why}.`)));
  }

  const frameworks = index.frameworks.map((f) => `  ${label(f.id)}: ${f.title} (${f.source})`);
  const notes = [
    'Severity is the default for a failure: some findings raise or lower it (the message says why), and a policy can override it.',
    'Controls: in brackets, what the control itself demands of each resource (encrypted, a KMS key, a customer managed key, rotation on), judged whatever the policy demands; without brackets the control\'s result is the rule\'s.',
    'Matrix facts: atrest matrix. The same index as JSON: atrest rules --format json. How the mapping was checked: docs/compliance.md.',
  ];
  return [
    c.bold(`${index.rules.length} rules`) + ` · ${index.tool.name} ${index.tool.version}`,
    table.toString(),
    '',
    ...notes.map((n) => wrapText(n, width)),
    '',
    c.bold('Why each rule matters'),
    ...details,
    '',
    c.bold('Frameworks'),
    ...frameworks,
    '',
  ].join('\n');
}
