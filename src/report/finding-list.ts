import type { ChalkInstance } from 'chalk';
import type { Finding } from '../model/report.js';
import { paintSeverity } from './style.js';
import { wrapText } from './wrap.js';

/**
 * Findings as a list of short blocks rather than a box table:
 *
 *   critical  KMS.KEY_STATE  arn:aws:s3:::acme-old-backups
 *             why  key alias/retired-archive is scheduled for deletion on …
 *             fix  aws kms cancel-key-deletion --key-id …
 *
 * The resource ARN stays on one line (copy it into a waiver as it is), the
 * text wraps under its label, and rendering stays linear: a box table of
 * thousands of multi-line rows took minutes (bench/engine.mjs).
 */
export interface FindingListOptions {
  style: ChalkInstance;
  width: number;
  /** Which labelled lines each block carries. */
  lines: Array<'why' | 'fix' | 'waiver'>;
}

const INDENT = 10;
const LABEL = 7;

export function renderFindingList(findings: readonly Finding[], options: FindingListOptions): string {
  const c = options.style;
  const textWidth = Math.max(40, options.width - INDENT - LABEL);
  const pad = ' '.repeat(INDENT);
  const blocks: string[] = [];
  for (const f of findings) {
    const head = `${paintSeverity(c, f.severity, f.severity.padEnd(INDENT - 1))} ${c.bold(f.ruleId)}  ${f.resourceArn}`;
    const body: string[] = [];
    const labelled = (label: string, text: string): void => {
      const wrapped = wrapText(text, textWidth).split('\n');
      wrapped.forEach((line, i) => body.push(`${pad}${i === 0 ? c.gray(label.padEnd(LABEL)) : ' '.repeat(LABEL)}${line}`));
    };
    for (const kind of options.lines) {
      if (kind === 'why') labelled('why', f.message);
      if (kind === 'fix' && f.fix) {
        // A pre-deploy finding (atrest iac): where to change the code, and the code itself, as written.
        const where = `${f.fix.file ?? '(new file)'}${f.fix.line ? `:${f.fix.line}` : ''}`;
        labelled('fix', `${f.fix.replacement ? 'REPLACES THE RESOURCE: ' : ''}${f.fix.summary} — ${f.fix.action === 'add-resource' ? 'add' : 'in'} ${f.fix.address} (${where}):`);
        for (const line of f.fix.code.replace(/\n$/, '').split('\n')) body.push(`${pad}${' '.repeat(LABEL)}  ${line}`);
      } else if (kind === 'fix' && f.remediation) labelled('fix', f.remediation.summary);
      if (kind === 'waiver' || f.waiver?.status === 'expired') {
        const w = f.waiver;
        if (w) {
          const state = w.status === 'expired' ? c.red(`EXPIRED ${w.expires}`) : `until ${w.expires}`;
          labelled('waiver', `${state}, owner ${w.owner}: ${w.reason}${w.source ? ` (${w.source})` : ''}`);
        }
      }
    }
    blocks.push([head, ...body].join('\n'));
  }
  return blocks.join('\n');
}
