/**
 * A synthetic AWS organisation for the fake AWS server (server.mjs): every
 * resource atrest reads, in every account and Region, generated from a seed
 * so that every run sees exactly the same organisation.
 *
 * Account ids are the fictitious ones of the AWS documentation
 * (111122223333, 444455556666, 777788889999); nothing here is real.
 */

/** The organisation the benchmarks scan: 3 accounts × 4 Regions. */
export const BENCH_ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
export const BENCH_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
/** Totals over the whole organisation (issue 14, "Benchmarks"). */
export const BENCH_TOTALS = {
  buckets: 2000,
  volumes: 2500,
  snapshots: 2500,
  dbInstances: 250,
  dbSnapshots: 250,
  tables: 1000,
  functions: 1000,
  clusters: 200,
  keys: 300,
};

/** Public snapshots of other accounts that an endpoint ignoring OwnerIds=self would send, per Region. */
export const FOREIGN_SNAPSHOTS_PER_REGION = 300;
const FOREIGN_OWNER = '999988887777';

/** The AWS managed keys of every account and Region (their aliases); ListKeys lists them too. */
export const AWS_MANAGED = ['s3', 'ebs', 'rds', 'dynamodb', 'lambda', 'redshift'];

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n split over k parts as evenly as possible (the first parts get the remainder). */
function share(n, k, i) {
  return Math.floor(n / k) + (i < n % k ? 1 : 0);
}

function uuid(random) {
  const hex = () => Math.floor(random() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

function hexId(random, n) {
  return Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
}

const DAY = 86_400_000;
const EPOCH = Date.parse('2024-01-01T00:00:00.000Z');

/**
 * Builds the organisation. `totals` are split evenly over accounts × regions.
 * Returns { accounts: Map<accountId, { regions: Map<region, Unit> }> } where a
 * Unit holds the resources of one account in one Region.
 */
export function buildOrg({ accounts = BENCH_ACCOUNTS, regions = BENCH_REGIONS, totals = BENCH_TOTALS, seed = 14 } = {}) {
  const random = rng(seed);
  const units = accounts.length * regions.length;
  const org = { accounts: new Map(), regions: [...regions] };
  let index = 0;
  for (const accountId of accounts) {
    const account = { accountId, regions: new Map(), buckets: [] };
    org.accounts.set(accountId, account);
    for (const region of regions) {
      const unit = buildUnit(random, accountId, region, (name) => share(totals[name] ?? 0, units, index));
      account.regions.set(region, unit);
      account.buckets.push(...unit.buckets);
      index += 1;
    }
  }
  return org;
}

function buildUnit(random, accountId, region, count) {
  const arn = (service, resource) => `arn:aws:${service}:${region}:${accountId}:${resource}`;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const date = () => new Date(EPOCH - Math.floor(random() * 900) * DAY).toISOString();

  // Keys: AWS managed ones, then the customer managed ones, each with an alias.
  const keys = [];
  for (const service of AWS_MANAGED) {
    const keyId = uuid(random);
    keys.push({
      keyId,
      arn: arn('kms', `key/${keyId}`),
      manager: 'AWS',
      origin: 'AWS_KMS',
      state: 'Enabled',
      spec: 'SYMMETRIC_DEFAULT',
      usage: 'ENCRYPT_DECRYPT',
      aliases: [`alias/aws/${service}`],
      rotation: true,
      created: date(),
      grants: 1,
      tags: {},
    });
  }
  for (let i = 0; i < count('keys'); i += 1) {
    const keyId = uuid(random);
    const roll = random();
    const origin = roll < 0.05 ? 'EXTERNAL' : 'AWS_KMS';
    const spec = roll >= 0.05 && roll < 0.1 ? 'RSA_2048' : 'SYMMETRIC_DEFAULT';
    keys.push({
      keyId,
      arn: arn('kms', `key/${keyId}`),
      manager: 'CUSTOMER',
      origin,
      state: chance(0.04) ? 'Disabled' : 'Enabled',
      spec,
      usage: spec === 'RSA_2048' ? 'SIGN_VERIFY' : 'ENCRYPT_DECRYPT',
      aliases: [`alias/app-${region}-${i}`],
      rotation: chance(0.7),
      created: date(),
      grants: Math.floor(random() * 3),
      tags: chance(0.5) ? { team: pick(['payments', 'search', 'data']), 'data-classification': pick(['restricted', 'internal']) } : {},
    });
  }
  const awsKey = (service) => keys.find((k) => k.aliases[0] === `alias/aws/${service}`);
  const cmks = keys.filter((k) => k.manager === 'CUSTOMER' && k.spec === 'SYMMETRIC_DEFAULT');
  /** A key for a resource: its own customer key, the service's AWS managed key, or (share `none`) no key. */
  const keyFor = (service, pCustomer, pAws) => {
    const r = random();
    if (r < pCustomer && cmks.length > 0) return pick(cmks);
    if (r < pCustomer + pAws) return awsKey(service);
    return null;
  };
  const tags = () =>
    chance(0.5) ? { env: pick(['prod', 'dev', 'staging']), 'data-classification': pick(['restricted', 'internal', 'public']) } : {};

  const buckets = [];
  for (let i = 0; i < count('buckets'); i += 1) {
    const r = random();
    let encryption;
    if (r < 0.4) encryption = { algorithm: 'AES256' };
    else if (r < 0.5) encryption = null; // no default encryption configuration
    else if (r < 0.75) encryption = { algorithm: 'aws:kms', keyRef: pick(cmks)?.arn ?? null, bucketKey: chance(0.5) };
    else if (r < 0.9) encryption = { algorithm: 'aws:kms', keyRef: null, bucketKey: false };
    else {
      const key = pick(cmks);
      encryption = { algorithm: 'aws:kms', keyRef: key ? key.aliases[0] : null, bucketKey: true };
    }
    buckets.push({
      name: `bench-${accountId.slice(-4)}-${region}-${i}`,
      region,
      created: date(),
      encryption,
      policy: chance(0.3),
      tags: tags(),
    });
  }

  const volumes = [];
  for (let i = 0; i < count('volumes'); i += 1) {
    const key = keyFor('ebs', 0.4, 0.3);
    volumes.push({
      id: `vol-${hexId(random, 17)}`,
      encrypted: key !== null,
      keyArn: key?.arn ?? null,
      size: 8 + Math.floor(random() * 500),
      created: date(),
      az: `${region}a`,
      tags: tags(),
    });
  }
  const snapshots = [];
  for (let i = 0; i < count('snapshots'); i += 1) {
    const key = keyFor('ebs', 0.4, 0.3);
    snapshots.push({
      id: `snap-${hexId(random, 17)}`,
      owner: accountId,
      encrypted: key !== null,
      keyArn: key?.arn ?? null,
      volumeId: pick(volumes)?.id ?? 'vol-ffffffffffffffff',
      size: 8 + Math.floor(random() * 500),
      created: date(),
      tags: tags(),
    });
  }
  const foreignSnapshots = [];
  for (let i = 0; i < FOREIGN_SNAPSHOTS_PER_REGION; i += 1) {
    foreignSnapshots.push({ id: `snap-${hexId(random, 17)}`, owner: FOREIGN_OWNER, encrypted: false, keyArn: null, volumeId: 'vol-ffffffffffffffff', size: 8, created: date(), tags: {} });
  }

  const dbInstances = [];
  for (let i = 0; i < count('dbInstances'); i += 1) {
    const key = keyFor('rds', 0.5, 0.3);
    const id = `bench-db-${i}`;
    dbInstances.push({ id, arn: arn('rds', `db:${id}`), engine: pick(['postgres', 'mysql']), encrypted: key !== null, keyArn: key?.arn ?? null, created: date(), tags: tags() });
  }
  const dbSnapshots = [];
  for (let i = 0; i < count('dbSnapshots'); i += 1) {
    const source = pick(dbInstances);
    const key = source?.encrypted ? dbInstances.find((d) => d === source)?.keyArn : null;
    const id = `bench-db-snap-${i}`;
    dbSnapshots.push({ id, arn: arn('rds', `snapshot:${id}`), source: source?.id ?? 'bench-db-gone', engine: source?.engine ?? 'postgres', encrypted: Boolean(key), keyArn: key ?? null, created: date(), tags: tags() });
  }

  const tables = [];
  for (let i = 0; i < count('tables'); i += 1) {
    const r = random();
    const key = r < 0.5 ? null : r < 0.75 ? awsKey('dynamodb') : (pick(cmks) ?? null);
    const name = `bench-table-${i}`;
    tables.push({ name, arn: arn('dynamodb', `table/${name}`), keyArn: key?.arn ?? null, created: date(), tags: tags() });
  }

  const functions = [];
  for (let i = 0; i < count('functions'); i += 1) {
    const key = chance(0.4) ? (pick(cmks) ?? null) : null;
    const name = `bench-fn-${i}`;
    functions.push({
      name,
      arn: arn('lambda', `function:${name}`),
      runtime: pick(['nodejs20.x', 'python3.12', 'java21']),
      keyArn: key?.arn ?? null,
      sourceKeyArn: chance(0.2) ? (pick(cmks)?.arn ?? null) : null,
      variables: chance(0.6) ? ['LOG_LEVEL', 'TABLE_NAME'] : [],
      modified: date(),
      tags: tags(),
    });
  }

  const clusters = [];
  for (let i = 0; i < count('clusters'); i += 1) {
    const r = random();
    const key = r < 0.6 ? (pick(cmks) ?? null) : r < 0.8 ? awsKey('redshift') : null;
    clusters.push({ id: `bench-rs-${i}`, encrypted: key !== null, keyArn: key?.arn ?? null, nodeType: pick(['ra3.xlplus', 'dc2.large']), created: date(), tags: tags() });
  }

  return { accountId, region, keys, buckets, volumes, snapshots, foreignSnapshots, dbInstances, dbSnapshots, tables, functions, clusters, backups: [], namespaces: [] };
}

/** Every resource of the organisation the checks will report, per service, for the benchmarks' sums. */
export function orgCounts(org) {
  const out = { buckets: 0, volumes: 0, snapshots: 0, dbInstances: 0, dbSnapshots: 0, tables: 0, functions: 0, clusters: 0, customerKeys: 0, awsManagedKeys: 0 };
  for (const account of org.accounts.values()) {
    for (const u of account.regions.values()) {
      out.buckets += u.buckets.length;
      out.volumes += u.volumes.length;
      out.snapshots += u.snapshots.length;
      out.dbInstances += u.dbInstances.length;
      out.dbSnapshots += u.dbSnapshots.length;
      out.tables += u.tables.length;
      out.functions += u.functions.length;
      out.clusters += u.clusters.length;
      out.customerKeys += u.keys.filter((k) => k.manager === 'CUSTOMER').length;
      out.awsManagedKeys += u.keys.filter((k) => k.manager === 'AWS').length;
    }
  }
  return out;
}
