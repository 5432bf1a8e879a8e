import { Chalk, type ChalkInstance } from 'chalk';
import type { ProtectionLevel } from '../model/levels.js';
import type { FindingStatus, Severity } from '../model/severity.js';

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
