import cliProgress from 'cli-progress';
import type { CallStats } from '../aws/call-stats.js';

/**
 * Where a live scan stands, on stderr (stdout carries the report):
 *
 * - `live` (stderr is a terminal, or --progress): one line redrawn in
 *   place — (account, region) units done of total, accounts done, resources
 *   found, calls in flight, retries, elapsed. Drawn by cli-progress
 *   (https://github.com/npkgz/cli-progress): it redraws at a bounded rate,
 *   hides and restores the cursor, and clears its line when done, so atrest
 *   writes no cursor control of its own. Chosen over log-update (8.x needs
 *   Node 22) and ora (a spinner, not counters); it runs on Node 20 with one
 *   dependency (string-width). Not a terminal with --progress: the same
 *   line, once a second, as plain lines.
 * - `lines` (not a terminal, CI logs): a line when an account and region
 *   is finished, at most one a second; units finished in between are
 *   counted into the next line, never dropped.
 * - `quiet` (--quiet): nothing, not even the last line.
 *
 * The final summary line (`wrote report.json: 4,101 resources, 312 failing
 * findings, exit 1 (high)`) is printed in every mode but quiet.
 */
export type ProgressMode = 'live' | 'lines' | 'quiet';

export interface ProgressFlags {
  quiet?: boolean;
  progress?: boolean;
  debug?: boolean;
}

/** The mode for these flags and this stderr. --debug logs every call on stderr, which a redrawn line would garble: lines then. */
export function progressMode(flags: ProgressFlags, stream: { isTTY?: boolean } = process.stderr): ProgressMode {
  if (flags.quiet) return 'quiet';
  if (flags.progress) return 'live';
  if (flags.debug) return 'lines';
  return stream.isTTY ? 'live' : 'lines';
}

export interface ScanProgress {
  /** Counters the clients update (src/aws/call-stats.ts). */
  readonly calls: CallStats;
  begin(plan: { accounts: number; units: number }): void;
  unitDone(accountId: string, region: string, resources: number): void;
  /** Units that need no work (a region not enabled for the account) or can get none (the account failed). */
  skip(units: number): void;
  accountDone(accountId: string, status: string): void;
  /** Stops the live line (before the report is written to a terminal). */
  end(): void;
  /** The last line. */
  summary(text: string): void;
}

interface Stream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  mode: ProgressMode;
  calls: CallStats;
  stream?: Stream;
  now?: () => number;
  /** Minimum milliseconds between two lines in `lines` mode. */
  lineInterval?: number;
}

const number = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return number.format(n);
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s` : `${m}m${String(sec).padStart(2, '0')}s`;
}

export function createProgress(options: ProgressOptions): ScanProgress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const interval = options.lineInterval ?? 1000;
  const started = now();
  const state = { units: 0, unitsDone: 0, accounts: 0, accountsDone: 0, resources: 0 };
  const calls = options.calls;

  const counters = (): string =>
    `${formatCount(state.unitsDone)}/${formatCount(state.units)} account-regions · ${state.accountsDone}/${state.accounts} accounts · ${formatCount(state.resources)} resources · ${calls.inFlight} in flight · ${formatCount(calls.retries)} retries · ${formatElapsed(now() - started)}`;

  if (options.mode === 'quiet') {
    return { calls, begin() {}, unitDone() {}, skip() {}, accountDone() {}, end() {}, summary() {} };
  }

  if (options.mode === 'lines') {
    let last = -Infinity;
    let pending: string[] = [];
    const flush = (force: boolean) => {
      if (pending.length === 0) return;
      const t = now();
      if (!force && t - last < interval) return;
      last = t;
      const [first, ...rest] = pending;
      pending = [];
      stream.write(`atrest: done ${first}${rest.length > 0 ? ` (+${rest.length} more)` : ''} · ${counters()}\n`);
    };
    return {
      calls,
      begin(plan) {
        state.units = plan.units;
        state.accounts = plan.accounts;
      },
      unitDone(accountId, region, resources) {
        state.unitsDone += 1;
        state.resources += resources;
        pending.push(`${accountId}/${region}`);
        flush(false);
      },
      skip(units) {
        state.unitsDone += units;
      },
      accountDone(accountId, status) {
        state.accountsDone += 1;
        if (status === 'failed') pending.push(`${accountId} (failed: see the report)`);
        flush(false);
      },
      end() {
        flush(true);
      },
      summary(text) {
        flush(true);
        stream.write(`${text}\n`);
      },
    };
  }

  // live
  const width = () => (stream.columns && stream.columns > 20 ? stream.columns : 80);
  const bar = new cliProgress.SingleBar({
    stream: stream as unknown as NodeJS.WritableStream,
    // The line is built here, fitted to the terminal's width (cli-progress redraws it).
    format: (opts, params) => {
      const size = 16;
      const done = params.total > 0 ? Math.round((params.value / params.total) * size) : 0;
      const line = `${(opts.barCompleteChar ?? '#').repeat(done)}${(opts.barIncompleteChar ?? '-').repeat(size - done)} ${counters()}`;
      return line.length > width() - 1 ? `${line.slice(0, width() - 2)}…` : line;
    },
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: true,
    // Redrawn at most 5 times a second however many calls finish.
    fps: 5,
    // Not a terminal but --progress: the same line, once a second, as plain lines.
    noTTYOutput: true,
    notTTYSchedule: interval,
    gracefulExit: true,
  });
  let running = false;
  const redraw = () => {
    if (running) bar.update(state.unitsDone);
  };
  return {
    calls,
    begin(plan) {
      state.units = plan.units;
      state.accounts = plan.accounts;
      bar.start(Math.max(plan.units, 1), 0);
      running = true;
    },
    unitDone(_accountId, _region, resources) {
      state.unitsDone += 1;
      state.resources += resources;
      redraw();
    },
    skip(units) {
      state.unitsDone += units;
      redraw();
    },
    accountDone() {
      state.accountsDone += 1;
      redraw();
    },
    end() {
      if (!running) return;
      running = false;
      bar.stop();
    },
    summary(text) {
      this.end();
      stream.write(`${text}\n`);
    },
  };
}
