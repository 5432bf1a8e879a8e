/** Types of server.mjs, for the tests that start the fake AWS (the benchmarks are plain JavaScript). */
import type { Org } from './org.mjs';

export interface FakeCall {
  account: string | null;
  service: string;
  region: string;
  operation: string;
  /** The request body (query and JSON protocols). */
  body: string;
  path: string;
}

export interface FakeFaults {
  throttleRate?: number;
  burst?: ({ startMs: number; durationMs: number } | { fromRequest: number; toRequest: number }) & { rate: number; statuses?: number[] };
  hang?: (call: FakeCall) => boolean;
  deny?: (call: FakeCall) => boolean;
  serverError?: (call: FakeCall) => boolean;
  seed?: number;
}

export interface FakeAws {
  endpoint: string;
  org: Org;
  counts(): Record<string, number>;
  faultCounts(): { throttled: number; burst: number; hung: number; denied: number; serverError: number };
  peaks(): { perUnit: Record<string, number>; overall: number };
  foreignSnapshotsSent(): number;
  setFaults(faults: FakeFaults | undefined): void;
  setLatency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export function fakeCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string };
export function startFakeAws(options?: { org?: Org; latencyMs?: number; faults?: FakeFaults }): Promise<FakeAws>;
