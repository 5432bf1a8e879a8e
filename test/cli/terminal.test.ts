import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

/**
 * Tables as a person sees them: the built CLI in a pseudo-terminal (util-linux
 * `script`, sized with stty) at 80 and 200 columns, colours on. Nothing is
 * wider than the terminal, no colour code is cut (no stray "39m"), box
 * rows are whole, ARNs are whole on one line. Piped output honours COLUMNS.
 */
const SCRIPT = '/usr/bin/script';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function inTerminal(columns: number, args: string): string {
  const command = `stty cols ${columns} rows 50; exec node ${join(ROOT, 'dist/cli.js')} ${args}`;
  const r = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' }, timeout: 60_000 });
  return r.stdout.replace(/\r\n/g, '\n');
}

function problems(text: string, columns: number): string[] {
  const out: string[] = [];
  // A cut colour code leaves an ESC without its "m", or the "[39m" tail without its ESC.
  if (/\u001b\[[0-9;]*(?![0-9;m])/.test(text)) out.push('a colour code is cut');
  const plain = text.replace(ANSI, '');
  if (/(^|[^\u001b])\[\d{1,2}m/.test(plain)) out.push('a stray colour-code fragment is visible');
  for (const line of plain.split('\n')) {
    const width = [...line].length;
    if (width > columns && !/^\S+$/.test(line.trim())) out.push(`wider than ${columns}: ${line}`);
  }
  return out;
}

describe.skipIf(!existsSync(SCRIPT))('tables in a pseudo-terminal', () => {
  for (const columns of [80, 200]) {
    it(`at ${columns} columns: evaluate, --compliance and keys fit, with whole colour codes and ARNs`, () => {
      for (const args of ['evaluate fixtures/demo --show-suppressed', 'evaluate fixtures/policy/inventory.json --policy fixtures/policy/acme.policy.yaml --compliance cis-5.0 --show-suppressed', 'keys --inventory fixtures/demo']) {
        const text = inTerminal(columns, args);
        expect(text).toContain('\u001b['); // colours are on at a terminal
        expect(problems(text, columns), args).toEqual([]);
        // Every key ARN of the demo is printed whole somewhere (never cut across lines).
        expect(text.replace(ANSI, '')).toMatch(/arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}/);
      }
    });
  }

  it('piped output uses COLUMNS', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'evaluate', 'fixtures/demo'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
    expect(problems(r.stdout, 80)).toEqual([]);
    expect(r.stdout).not.toContain('\u001b[');
  });
});
