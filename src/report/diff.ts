import type { ReportDiff } from '../engine/diff.js';
import { md } from './markdown.js';
import { paintSeverity, type TableTarget } from './style.js';
import { fitLines } from './wrap.js';

/** `atrest diff` as a terminal table and as Markdown. Renders the ReportDiff as computed (src/engine/diff.ts). */
export function* diffTableChunks(diff: ReportDiff, target: TableTarget): Generator<string> {
  const c = target.style;
  const out: string[] = [c.bold(`atrest diff · account ${diff.new.accountId} · ${diff.old.finishedAt} → ${diff.new.finishedAt}`), ''];
  const section = (title: string, lines: string[]) => {
    out.push(c.bold(`${title} (${lines.length})`));
    out.push(...(lines.length > 0 ? lines : [c.gray('  none')]), '');
  };
  section('New findings', diff.newFindings.map((f) => `  ${paintSeverity(c, f.severity, f.severity.padEnd(9))}${f.status === 'unknown' ? c.magenta('unknown ') : ''}${f.ruleId}  ${f.resourceArn}`));
  section('Resolved findings', diff.resolvedFindings.map((f) => `  ${paintSeverity(c, f.severity, f.severity.padEnd(9))}${f.ruleId}  ${f.resourceArn} (now ${f.now})`));
  section('Protection level changes', diff.levelChanges.map((l) => `  ${l.direction === 'down' ? c.red('down') : c.green('up  ')} ${l.from} → ${l.to}  ${l.resourceArn}`));
  section('Key changes', diff.keyChanges.map((k) => `  ${k.worse ? c.red('worse ') : 'change'} ${k.what} ${k.from} → ${k.to}  ${k.alias ?? ''} ${k.keyArn}`));
  section('Score changes', diff.scoreChanges.map((s) => `  ${s.scope}: ${s.from ?? '-'} ${s.fromGrade ?? ''} → ${s.to ?? '-'} ${s.toGrade ?? ''}`));
  const paint = diff.outcome.exitCode === 0 ? c.green : c.red;
  out.push(`${paint(`exit ${diff.outcome.exitCode}`)}: ${diff.outcome.reason} (--fail-on ${diff.failOn}).`);
  yield `${fitLines(out, target.width, 4).join('\n')}\n`;
}

export function* diffMarkdownChunks(diff: ReportDiff): Generator<string> {
  const out: string[] = [`## atrest diff: account ${md(diff.new.accountId)}`, '', `${md(diff.old.finishedAt)} → ${md(diff.new.finishedAt)} · **exit ${diff.outcome.exitCode}**: ${md(diff.outcome.reason)} (\`--fail-on ${diff.failOn}\`)`];
  const section = (title: string, lines: string[]) => {
    out.push('', `### ${title} (${lines.length})`, '');
    out.push(...(lines.length > 0 ? lines : ['none']));
  };
  section('New findings', diff.newFindings.map((f) => `- **${f.severity}** ${f.status === 'unknown' ? '(unknown) ' : ''}\`${f.ruleId}\` \`${f.resourceArn}\`: ${md(f.message)}`));
  section('Resolved findings', diff.resolvedFindings.map((f) => `- ${f.severity} \`${f.ruleId}\` \`${f.resourceArn}\` (now ${f.now})`));
  section('Protection level changes', diff.levelChanges.map((l) => `- ${l.direction} ${md(l.from)} → ${md(l.to)} \`${l.resourceArn}\``));
  section('Key changes', diff.keyChanges.map((k) => `- ${k.worse ? '**worse** ' : ''}${k.what} ${md(k.from)} → ${md(k.to)} \`${k.keyArn}\``));
  section('Score changes', diff.scoreChanges.map((s) => `- ${md(s.scope)}: ${s.from ?? '-'} ${s.fromGrade ?? ''} → ${s.to ?? '-'} ${s.toGrade ?? ''}`));
  yield `${out.join('\n')}\n`;
}
