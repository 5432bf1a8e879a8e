/** Types of org.mjs, for the tests (the benchmarks are plain JavaScript). */
export interface OrgUnit {
  accountId: string;
  region: string;
  keys: Array<{ keyId: string; arn: string; manager: 'AWS' | 'CUSTOMER'; aliases: string[]; tags: Record<string, string> }>;
  buckets: Array<{ name: string; region: string; tags: Record<string, string> }>;
  volumes: Array<{ id: string }>;
  snapshots: Array<{ id: string }>;
  foreignSnapshots: Array<{ id: string }>;
  dbInstances: Array<{ id: string; arn: string }>;
  dbSnapshots: Array<{ id: string; arn: string }>;
  tables: Array<{ name: string; arn: string; tags: Record<string, string> }>;
  functions: Array<{ name: string; arn: string }>;
  clusters: Array<{ id: string }>;
}

export interface Org {
  regions: string[];
  accounts: Map<string, { accountId: string; regions: Map<string, OrgUnit>; buckets: OrgUnit['buckets'] }>;
}

export type OrgTotals = Partial<Record<'buckets' | 'volumes' | 'snapshots' | 'dbInstances' | 'dbSnapshots' | 'tables' | 'functions' | 'clusters' | 'keys', number>>;

export const BENCH_ACCOUNTS: string[];
export const BENCH_REGIONS: string[];
export const BENCH_TOTALS: Required<OrgTotals>;
export const FOREIGN_SNAPSHOTS_PER_REGION: number;
export const AWS_MANAGED: string[];
export function rng(seed: number): () => number;
export function buildOrg(options?: { accounts?: string[]; regions?: string[]; totals?: OrgTotals; seed?: number }): Org;
export function orgCounts(org: Org): Record<'buckets' | 'volumes' | 'snapshots' | 'dbInstances' | 'dbSnapshots' | 'tables' | 'functions' | 'clusters' | 'customerKeys' | 'awsManagedKeys', number>;
