import type { ChalkInstance } from 'chalk';
import type { Finding } from '../model/report.js';
import { paintSeverity } from './style.js';
import { clampLine, visibleLength, wrapCommand, wrapText } from './wrap.js';

/**
 * Findings as a list of short blocks rather than a box table:
 *
 *   critical  KMS.KEY_STATE  arn:aws:s3:::acme-old-backups
 *             why  key alias/retired-archive is scheduled for deletion on …
 *             fix  cancel the key deletion …
 *             run  aws kms cancel-key-deletion --key-id …
 *
 * Everything fits `width`: the resource ARN goes on a line of its own when
 * the head would be wider, and is never cut (copy it into a waiver as it
 * is); text wraps at spaces under its label; a command wraps with ` \`
 * continuations, so it pastes as one. Rendering stays linear: a box table
 * of thousands of multi-line rows took minutes (bench/engine.mjs).
 */
export interface FindingListOptions {
  style: ChalkInstance;
  width: number;
  /** Which labelled lines each block carries. */
  lines: Array<'why' | 'fix' | 'waiver' | 'due'>;
  /** Extra indentation of every line (findings listed under a cause). */
  indent?: number;
  /** When each finding gets worse (from the triage), by finding. */
  due?: ReadonlyMap<Finding, string>;
}

const INDENT = 10;
const LABEL = 7;

export function renderFindingList(findings: readonly Finding[], options: FindingListOptions): string {
  return findings.map((f) => renderFinding(f, options)).join('\n');
}

export function renderFinding(f: Finding, options: FindingListOptions): string {
  const c = options.style;
  const base = ' '.repeat(options.indent ?? 0);
  const width = options.width - (options.indent ?? 0);
  const textWidth = Math.max(20, width - INDENT - LABEL);
  const pad = ' '.repeat(INDENT);
  const tag = f.baseline ? ` ${f.baseline === 'new' ? c.bold('[new]') : c.gray('[existing]')}` : '';
  const first = `${paintSeverity(c, f.severity, f.severity.padEnd(INDENT - 1))} ${c.bold(f.ruleId)}${tag}`;
  const lines: string[] = [];
  if (visibleLength(first) + 2 + f.resourceArn.length <= width) lines.push(`${first}  ${f.resourceArn}`);
  else lines.push(first, `${pad}${f.resourceArn}`);
  const labelled = (label: string, text: string): void => {
    wrapText(text, textWidth)
      .split('\n')
      .forEach((line, i) => lines.push(`${pad}${i === 0 ? c.gray(label.padEnd(LABEL)) : ' '.repeat(LABEL)}${line}`));
  };
  for (const kind of options.lines) {
    if (kind === 'why') labelled('why', f.message);
    if (kind === 'due') {
      const due = options.due?.get(f);
      if (due) labelled('due', due);
    }
    if (kind === 'fix' && f.fix) {
      // A pre-deploy finding (atrest iac): where to change the code, and the code itself, as written.
      const where = `${f.fix.file ?? '(new file)'}${f.fix.line ? `:${f.fix.line}` : ''}`;
      labelled('fix', `${f.fix.replacement ? 'REPLACES THE RESOURCE: ' : ''}${f.fix.summary} — ${f.fix.action === 'add-resource' ? 'add' : 'in'} ${f.fix.address} (${where}):`);
      for (const line of f.fix.code.replace(/\n$/, '').split('\n')) lines.push(`${pad}${' '.repeat(LABEL)}  ${line}`);
    } else if (kind === 'fix' && f.remediation) {
      labelled('fix', f.remediation.summary);
      if (f.remediation.cli) {
        wrapCommand(f.remediation.cli, textWidth).forEach((line, i) => lines.push(`${pad}${i === 0 ? c.gray('run'.padEnd(LABEL)) : ' '.repeat(LABEL)}${line}`));
      }
    }
    if (kind === 'waiver' || (kind === 'why' && f.waiver?.status === 'expired' && !options.lines.includes('waiver'))) {
      const w = f.waiver;
      if (w) {
        const state = w.status === 'expired' ? c.red(`EXPIRED ${w.expires}`) : `until ${w.expires}`;
        labelled('waiver', `${state}, owner ${w.owner}: ${w.reason}${w.source ? ` (${w.source})` : ''}`);
      }
    }
  }
  return lines.map((l) => clampLine(base + l, options.width)).join('\n');
}
