import Table from 'cli-table3';
import { Chalk, type ChalkInstance } from 'chalk';
import type { ProtectionLevel } from '../model/levels.js';
import type { Outcome } from '../model/report.js';
import type { FindingStatus, Severity } from '../model/severity.js';

/** Where a table goes: its colours (none off a terminal) and the width to fit. */
export interface TableTarget {
  style: ChalkInstance;
  width: number;
}

/**
 * Colour only for a person at a terminal: never when NO_COLOR is set, when
 * stdout is not a TTY, or when the output goes to a file.
 */
export function makeStyle(colour: boolean): ChalkInstance {
  return new Chalk({ level: colour ? 1 : 0 });
}

export function wantsColour(stream: NodeJS.WriteStream, toFile: boolean): boolean {
  if (toFile) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Paints `text` (default: the severity itself) in the severity's colour. */
export function paintSeverity(c: ChalkInstance, severity: Severity, text: string = severity): string {
  switch (severity) {
    case 'critical':
      return c.bold.red(text);
    case 'high':
      return c.red(text);
    case 'medium':
      return c.yellow(text);
    case 'low':
      return c.cyan(text);
    default:
      return c.gray(text);
  }
}

/** Paints `text` (default: the level itself) in the level's colour. */
export function paintLevel(c: ChalkInstance, level: ProtectionLevel, text: string = level): string {
  if (level === 'none') return c.red(text);
  if (level === 'unknown') return c.magenta(text);
  if (level === 'aws-owned' || level === 'aws-managed') return c.yellow(text);
  return c.green(text);
}

export function paintStatus(c: ChalkInstance, status: FindingStatus, text: string = status): string {
  if (status === 'fail') return c.red(text);
  if (status === 'unknown') return c.magenta(text);
  if (status === 'pass') return c.green(text);
  return c.gray(text);
}

/**
 * A cli-table3 table without its own colours (headings and borders stay
 * plain; cells carry the report's colours, and none at all without a TTY).
 */
export function plainTable(options: Omit<Table.TableConstructorOptions, 'style'>): Table.Table {
  return new Table({ ...options, style: { head: [], border: [] } });
}

/** A table's last line: "exit N: reason (--fail-on X<scope>).", exit N green for 0, red for 1, magenta for 3. */
export function verdictLine(c: ChalkInstance, outcome: Outcome, scope = ''): string {
  const paint = outcome.exitCode === 0 ? c.green : outcome.exitCode === 1 ? c.red : c.magenta;
  return `${paint(`exit ${outcome.exitCode}`)}: ${outcome.reason} (--fail-on ${outcome.failOn}${scope}).`;
}
