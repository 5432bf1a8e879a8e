import { createServer } from 'node:http';
import { buildOrg, rng } from './org.mjs';

/**
 * A fake AWS on loopback for the benchmarks and the fault-injection tests:
 * one HTTP server that speaks the wire protocols of every service atrest
 * calls — S3 REST-XML, EC2 query, RDS / Redshift / STS query-XML, KMS,
 * DynamoDB, Redshift Serverless and the Resource Groups Tagging API in JSON,
 * Lambda and EFS REST-JSON — answering from a synthetic organisation (org.mjs), with
 * scripted latency and faults (throttling, 5xx bursts, AccessDenied, and
 * sockets that accept a request and never answer).
 *
 * Every client points at it with --endpoint-url (or `endpointUrl`). The
 * server reads the service and Region from the SigV4 credential scope of the
 * Authorization header, and the account from the access key id: use
 * `fakeCredentials(accountId)`. Signatures are not checked.
 *
 * It counts every request per service and operation, and the most requests
 * it ever held at once per account, service and Region, so tests and
 * benchmarks can compare what atrest sent with what the job needs.
 */

/**
 * Predicates from a declarative fault spec (for the benchmarks, whose server
 * runs in a child process): `hang`, `deny` and `serverError` are lists of
 * matchers `{ account?, service?, region?, operation? }`; a call matches one
 * when every field given is equal.
 */
export function faultsFromSpec(spec = {}) {
  const matches = (list) => (list && list.length > 0 ? (call) => list.some((m) => Object.entries(m).every(([k, v]) => call[k] === v)) : undefined);
  const faults = { ...spec };
  for (const name of ['hang', 'deny', 'serverError']) {
    const predicate = matches(spec[name]);
    if (predicate) faults[name] = predicate;
    else delete faults[name];
  }
  return faults;
}

/** Static fake credentials the server maps to `accountId`. Not a real key. */
export function fakeCredentials(accountId) {
  return { accessKeyId: `FAKE${accountId}`, secretAccessKey: 'fake-secret-not-a-key' };
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const REDSHIFT_NS = 'http://redshift.amazonaws.com/doc/2012-12-01/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * Starts the server. Options:
 * - org: from buildOrg() (default: the benchmark organisation)
 * - latencyMs: delay before every answer (default 0)
 * - faults: {
 *     throttleRate,                     probability that a request is throttled (protocol's own throttling error)
 *     burst: { startMs, durationMs, rate, statuses }, 5xx with probability `rate` inside the window (ms after the first request),
 *            or { fromRequest, toRequest, rate, statuses }: the same between the Nth and Mth request (deterministic, for tests)
 *     hang(request) -> boolean,         accept and never answer
 *     deny(request) -> boolean,         AccessDenied in the protocol's shape
 *     serverError(request) -> boolean,  HTTP 500 for ever
 *     seed }
 *   `request` is { account, service, region, operation, body, path }.
 */
export async function startFakeAws(options = {}) {
  const org = options.org ?? buildOrg();
  const state = {
    org,
    latencyMs: options.latencyMs ?? 0,
    faults: options.faults ?? {},
    random: rng(options.faults?.seed ?? 1),
    firstAt: null,
    requestNumber: 0,
    counts: new Map(),
    faultCounts: { throttled: 0, burst: 0, hung: 0, denied: 0, serverError: 0 },
    foreignSnapshotsSent: 0,
    described: new Map(),
    open: new Map(),
    peak: new Map(),
    inFlight: 0,
    peakInFlight: 0,
    hung: new Set(),
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      handle(state, req, Buffer.concat(chunks).toString('utf8'), res).catch((error) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake-aws bug: ${error.stack}`);
        }
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    org,
    /** Requests received per "service:Operation", retries included. */
    counts: () => Object.fromEntries([...state.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    faultCounts: () => ({ ...state.faultCounts }),
    /** Snapshots of other accounts the server sent (an owner-id filter keeps it at 0). */
    foreignSnapshotsSent: () => state.foreignSnapshotsSent,
    /** DescribeKey answers per "account region keyId", to prove each key is described once. */
    describeKeyCounts: () => Object.fromEntries(state.described),
    /** The most requests held at once, per "account:service:region", and overall. */
    peaks: () => ({ perUnit: Object.fromEntries(state.peak), overall: state.peakInFlight }),
    setFaults(faults) {
      state.faults = faults ?? {};
      state.random = rng(faults?.seed ?? 1);
      state.firstAt = null;
      state.requestNumber = 0;
    },
    setLatency(ms) {
      state.latencyMs = ms;
    },
    reset() {
      state.counts.clear();
      state.peak.clear();
      state.peakInFlight = 0;
      state.firstAt = null;
      state.requestNumber = 0;
      for (const key of Object.keys(state.faultCounts)) state.faultCounts[key] = 0;
      state.foreignSnapshotsSent = 0;
      state.described.clear();
    },
    async close() {
      for (const res of state.hung) res.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The service, Region and access key of a SigV4 request. */
function scope(req) {
  const auth = String(req.headers.authorization ?? '');
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  if (!match) return null;
  return { accessKey: match[1], region: match[2], service: match[3] };
}

async function handle(state, req, body, res) {
  const s = scope(req);
  if (!s) return send(res, 403, 'text/plain', 'fake-aws: unsigned request');
  const accountId = s.accessKey.startsWith('FAKE') ? s.accessKey.slice(4) : null;
  const account = accountId ? state.org.accounts.get(accountId) : undefined;
  const url = new URL(req.url ?? '/', 'http://fake');
  const operation = operationOf(s.service, req, url, body);
  const call = { account: accountId, service: s.service, region: s.region, operation, body, path: url.pathname };
  const countKey = `${s.service}:${operation}`;
  state.counts.set(countKey, (state.counts.get(countKey) ?? 0) + 1);
  state.firstAt ??= Date.now();
  state.requestNumber += 1;

  const unitKey = `${accountId}:${s.service}:${s.region}`;
  const open = (state.open.get(unitKey) ?? 0) + 1;
  state.open.set(unitKey, open);
  state.peak.set(unitKey, Math.max(state.peak.get(unitKey) ?? 0, open));
  state.inFlight += 1;
  state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
  const done = () => {
    state.open.set(unitKey, state.open.get(unitKey) - 1);
    state.inFlight -= 1;
  };

  const faults = state.faults;
  if (faults.hang?.(call)) {
    state.faultCounts.hung += 1;
    state.hung.add(res);
    // Accept and never answer; the socket closes only when the client gives up.
    res.on('close', () => {
      state.hung.delete(res);
      done();
    });
    return;
  }
  if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
  try {
    const protocol = PROTOCOL[s.service];
    if (!account) return errorReply(res, protocol, s.service, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (faults.deny?.(call)) {
      state.faultCounts.denied += 1;
      return errorReply(res, protocol, s.service, 403, denyCode(s.service), `User: arn:aws:iam::${accountId}:user/bench is not authorized to perform: ${s.service}:${operation}`);
    }
    if (faults.serverError?.(call)) {
      state.faultCounts.serverError += 1;
      return errorReply(res, protocol, s.service, 500, internalCode(s.service), 'We encountered an internal error. Please try again.');
    }
    const burst = faults.burst;
    const elapsed = Date.now() - state.firstAt;
    const inBurst = burst
      ? burst.fromRequest !== undefined
        ? state.requestNumber >= burst.fromRequest && state.requestNumber < burst.toRequest
        : elapsed >= burst.startMs && elapsed < burst.startMs + burst.durationMs
      : false;
    if (inBurst && state.random() < burst.rate) {
      state.faultCounts.burst += 1;
      const status = burst.statuses?.[Math.floor(state.random() * burst.statuses.length)] ?? 500;
      return errorReply(res, protocol, s.service, status, status === 503 ? unavailableCode(s.service) : internalCode(s.service), 'Service unavailable, please retry.');
    }
    if (faults.throttleRate && state.random() < faults.throttleRate) {
      state.faultCounts.throttled += 1;
      return throttle(res, s.service);
    }
    const unit = account.regions.get(s.region);
    return answer({ state, res, account, unit, service: s.service, region: s.region, operation, url, body, req });
  } finally {
    done();
  }
}

const PROTOCOL = {
  sts: 'query',
  rds: 'query',
  redshift: 'query',
  ec2: 'ec2',
  s3: 's3',
  kms: 'json',
  dynamodb: 'json',
  'redshift-serverless': 'json',
  tagging: 'json',
  lambda: 'rest-json',
  elasticfilesystem: 'rest-json',
  dax: 'json',
  s3express: 's3',
};

function operationOf(service, req, url, body) {
  const protocol = PROTOCOL[service];
  if (protocol === 'query' || protocol === 'ec2') return new URLSearchParams(body).get('Action') ?? 'unknown';
  if (protocol === 'json') return String(req.headers['x-amz-target'] ?? '').split('.').pop() || 'unknown';
  if (protocol === 'rest-json') {
    if (url.pathname === '/2015-02-01/file-systems') return 'DescribeFileSystems';
    if (/^\/2015-03-31\/functions\/?$/.test(url.pathname)) return 'ListFunctions';
    if (/^\/2015-03-31\/functions\/[^/]+$/.test(url.pathname)) return 'GetFunction';
    if (/^\/2015-03-31\/functions\/[^/]+\/versions$/.test(url.pathname)) return 'ListVersionsByFunction';
    if (/^\/2015-03-31\/functions\/[^/]+\/aliases$/.test(url.pathname)) return 'ListAliases';
    return 'unknown';
  }
  // S3 Express One Zone: the directory bucket listing (its own endpoint and signing name).
  if (service === 's3express') return 'ListDirectoryBuckets';
  // S3, path style.
  const bucket = url.pathname.split('/')[1];
  if (!bucket) return 'ListBuckets';
  for (const [q, op] of [['encryption', 'GetBucketEncryption'], ['policy', 'GetBucketPolicy'], ['tagging', 'GetBucketTagging'], ['location', 'GetBucketLocation']]) {
    if (url.searchParams.has(q)) return op;
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------
// Replies

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'fake-0000', 'x-amz-request-id': 'fake-0000', ...headers });
  res.end(body);
}

function esc(value) {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An element, or nothing when the value is null/undefined. */
function el(name, value) {
  return value === null || value === undefined ? '' : `<${name}>${esc(value)}</${name}>`;
}

const NS = { sts: STS_NS, rds: RDS_NS, redshift: REDSHIFT_NS };

function queryOk(res, service, action, inner) {
  send(res, 200, 'text/xml', `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${NS[service]}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>fake-0000</RequestId></ResponseMetadata></${action}Response>`);
}

function ec2Ok(res, action, inner) {
  send(res, 200, 'text/xml;charset=UTF-8', `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${EC2_NS}"><requestId>fake-0000</requestId>${inner}</${action}Response>`);
}

function jsonOk(res, service, value) {
  const type = service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
  send(res, 200, type, JSON.stringify(value));
}

function errorReply(res, protocol, service, status, code, message) {
  switch (protocol) {
    case 'query':
      return send(res, status, 'text/xml', `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${NS[service]}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>fake-0000</RequestId></ErrorResponse>`);
    case 'ec2':
      return send(res, status, 'text/xml;charset=UTF-8', `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>fake-0000</RequestID></Response>`);
    case 's3':
      return send(res, status, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${esc(message)}</Message><RequestId>fake-0000</RequestId><HostId>ZmFrZQ==</HostId></Error>`);
    case 'rest-json':
      return send(res, status, 'application/json', JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', message }), { 'x-amzn-errortype': `${code}:` });
    default: {
      const type = service === 'dynamodb' ? `com.amazonaws.dynamodb.v20120810#${code}` : code;
      const contentType = service === 'dynamodb' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      return send(res, status, contentType, JSON.stringify({ __type: type, message }), { 'x-amzn-errortype': `${code}:` });
    }
  }
}

/** Each service's own throttling answer, as AWS sends it. */
function throttle(res, service) {
  switch (service) {
    case 'ec2':
      return errorReply(res, 'ec2', service, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 's3':
    case 's3express':
      return errorReply(res, 's3', service, 503, 'SlowDown', 'Please reduce your request rate.');
    case 'lambda':
      return errorReply(res, 'rest-json', service, 429, 'TooManyRequestsException', 'Rate exceeded');
    case 'elasticfilesystem':
      return errorReply(res, 'rest-json', service, 429, 'ThrottlingException', 'Rate exceeded');
    case 'sts':
    case 'rds':
    case 'redshift':
      return errorReply(res, 'query', service, 400, 'Throttling', 'Rate exceeded');
    default:
      return errorReply(res, 'json', service, 400, 'ThrottlingException', 'Rate exceeded');
  }
}

function denyCode(service) {
  if (service === 'ec2') return 'UnauthorizedOperation';
  if (service === 's3' || service === 's3express' || PROTOCOL[service] === 'query') return 'AccessDenied';
  return 'AccessDeniedException';
}

function internalCode(service) {
  if (service === 's3' || service === 'ec2') return 'InternalError';
  if (service === 'kms') return 'KMSInternalException';
  if (service === 'lambda') return 'ServiceException';
  if (service === 'elasticfilesystem') return 'InternalServerError';
  if (service === 'dynamodb') return 'InternalServerError';
  return 'InternalFailure';
}

function unavailableCode(service) {
  if (service === 's3' || service === 'ec2') return 'ServiceUnavailable';
  return 'ServiceUnavailable';
}

// ---------------------------------------------------------------------------
// Answers

/** One page of `items` from an opaque offset token. */
function page(items, token, size) {
  const start = token ? Number(token) || 0 : 0;
  const max = size && size > 0 ? size : items.length || 1;
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? String(start + max) : null;
  return { slice, next };
}

function epoch(iso) {
  return Date.parse(iso) / 1000;
}

function answer(ctx) {
  const { res, service, operation, unit } = ctx;
  if (!unit && service !== 's3' && service !== 'sts') {
    // A Region the account does not have: an empty answer, as an unused Region gives.
    return answerEmpty(ctx);
  }
  switch (service) {
    case 'sts':
      return sts(ctx);
    case 's3':
      return s3(ctx);
    case 'ec2':
      return ec2(ctx);
    case 'rds':
      return rds(ctx);
    case 'redshift':
      return redshift(ctx);
    case 'redshift-serverless':
      return redshiftServerless(ctx);
    case 'kms':
      return kms(ctx);
    case 'dynamodb':
      return dynamodb(ctx);
    case 'lambda':
      return lambda(ctx);
    case 'tagging':
      return tagging(ctx);
    case 'elasticfilesystem':
      // The synthetic organisation has no EFS file systems: every Region answers an empty listing.
      return send(res, 200, 'application/json', JSON.stringify({ FileSystems: [] }));
    case 'dax':
      // Nor DAX clusters.
      return operation === 'DescribeClusters' ? jsonOk(res, 'dax', { Clusters: [] }) : errorReply(res, 'json', 'dax', 400, 'InvalidParameterValueException', operation);
    case 's3express':
      // Nor directory buckets.
      return send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyDirectoryBucketsResult xmlns="${S3_NS}"><Buckets></Buckets></ListAllMyDirectoryBucketsResult>`);
    default:
      return errorReply(res, 'json', service, 400, 'UnknownOperationException', `fake-aws does not implement ${service}:${operation}`);
  }
}

function answerEmpty(ctx) {
  const empty = { ...ctx, unit: { keys: [], buckets: [], volumes: [], snapshots: [], foreignSnapshots: [], dbInstances: [], dbSnapshots: [], tables: [], functions: [], clusters: [], backups: [], namespaces: [] } };
  return answer(empty);
}

function sts({ state, res, account, operation, body }) {
  if (operation === 'AssumeRole') {
    // Into any role of an account of the organisation: credentials the server maps to that account.
    const params = new URLSearchParams(body);
    const roleArn = params.get('RoleArn') ?? '';
    const target = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (!target || !state.org.accounts.has(target[1])) return errorReply(res, 'query', 'sts', 403, 'AccessDenied', `User: arn:aws:iam::${account.accountId}:user/bench is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const session = params.get('RoleSessionName') ?? 'atrest';
    const credentials = fakeCredentials(target[1]);
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    return queryOk(
      res,
      'sts',
      'AssumeRole',
      `<Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey><SessionToken>fake-session</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE${target[1]}:${esc(session)}</AssumedRoleId><Arn>arn:aws:sts::${target[1]}:assumed-role/${esc(target[2])}/${esc(session)}</Arn></AssumedRoleUser>`,
    );
  }
  if (operation !== 'GetCallerIdentity') return errorReply(res, 'query', 'sts', 400, 'InvalidAction', operation);
  queryOk(res, 'sts', 'GetCallerIdentity', `<Arn>arn:aws:iam::${account.accountId}:user/bench</Arn><UserId>AIDAFAKE${account.accountId}</UserId><Account>${account.accountId}</Account>`);
}

function tagXml(tags, wrapper, item, keyName = 'Key', valueName = 'Value') {
  return `<${wrapper}>${Object.entries(tags).map(([k, v]) => `<${item}>${el(keyName, k)}${el(valueName, v)}</${item}>`).join('')}</${wrapper}>`;
}

// S3 ----------------------------------------------------------------------

function s3({ res, account, region, operation, url }) {
  const xml = (body) => send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  if (operation === 'ListBuckets') {
    const { slice, next } = page(account.buckets, url.searchParams.get('continuation-token'), Number(url.searchParams.get('max-buckets')) || 10_000);
    const buckets = slice.map((b) => `<Bucket><Name>${b.name}</Name><CreationDate>${b.created}</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`).join('');
    return xml(`<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner><ID>fake-owner</ID></Owner><Buckets>${buckets}</Buckets>${el('ContinuationToken', next)}</ListAllMyBucketsResult>`);
  }
  const name = decodeURIComponent(url.pathname.split('/')[1]);
  const bucket = account.buckets.find((b) => b.name === name);
  if (!bucket) return errorReply(res, 's3', 's3', 404, 'NoSuchBucket', 'The specified bucket does not exist');
  if (bucket.region !== region && operation !== 'GetBucketLocation') {
    return send(
      res,
      301,
      'application/xml',
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Bucket>${esc(name)}</Bucket><RequestId>fake-0000</RequestId></Error>`,
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  switch (operation) {
    case 'GetBucketLocation':
      return xml(`<LocationConstraint xmlns="${S3_NS}">${bucket.region === 'us-east-1' ? '' : bucket.region}</LocationConstraint>`);
    case 'GetBucketEncryption': {
      const e = bucket.encryption;
      if (!e) return errorReply(res, 's3', 's3', 404, 'ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found');
      return xml(
        `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${e.algorithm}</SSEAlgorithm>${el('KMSMasterKeyID', e.keyRef)}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${Boolean(e.bucketKey)}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
      );
    }
    case 'GetBucketPolicy': {
      if (!bucket.policy) return errorReply(res, 's3', 's3', 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist');
      const policy = {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'DenyUnencrypted', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket.name}/*`, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } },
        ],
      };
      return send(res, 200, 'application/json', JSON.stringify(policy));
    }
    case 'GetBucketTagging':
      if (Object.keys(bucket.tags).length === 0) return errorReply(res, 's3', 's3', 404, 'NoSuchTagSet', 'The TagSet does not exist');
      return xml(`<Tagging xmlns="${S3_NS}">${tagXml(bucket.tags, 'TagSet', 'Tag')}</Tagging>`);
    default:
      return errorReply(res, 's3', 's3', 501, 'NotImplemented', `fake-aws does not implement ${operation}`);
  }
}

// EC2 ---------------------------------------------------------------------

function ec2(ctx) {
  const { state, res, unit, operation, body } = ctx;
  const params = new URLSearchParams(body);
  const tagSet = (tags) => tagXml(tags, 'tagSet', 'item', 'key', 'value');
  switch (operation) {
    case 'DescribeVolumes': {
      const { slice, next } = page(unit.volumes, params.get('NextToken'), Number(params.get('MaxResults')));
      const items = slice
        .map(
          (v) =>
            `<item><volumeId>${v.id}</volumeId><size>${v.size}</size><snapshotId/><availabilityZone>${v.az}</availabilityZone><status>in-use</status><createTime>${v.created}</createTime><attachmentSet/>${tagSet(v.tags)}<volumeType>gp3</volumeType><encrypted>${v.encrypted}</encrypted>${el('kmsKeyId', v.keyArn)}<multiAttachEnabled>false</multiAttachEnabled></item>`,
        )
        .join('');
      return ec2Ok(res, 'DescribeVolumes', `<volumeSet>${items}</volumeSet>${el('nextToken', next)}`);
    }
    case 'DescribeSnapshots': {
      // Like the emulator the issue names: OwnerIds (Owner.N) is ignored;
      // only the owner-id filter keeps other accounts' public snapshots out.
      const filters = [];
      for (let i = 1; params.has(`Filter.${i}.Name`); i += 1) {
        const values = [];
        for (let j = 1; params.has(`Filter.${i}.Value.${j}`); j += 1) values.push(params.get(`Filter.${i}.Value.${j}`));
        filters.push({ name: params.get(`Filter.${i}.Name`), values });
      }
      const owners = filters.find((f) => f.name === 'owner-id')?.values;
      const all = [...unit.snapshots, ...unit.foreignSnapshots].filter((s) => !owners || owners.includes(s.owner));
      const { slice, next } = page(all, params.get('NextToken'), Number(params.get('MaxResults')));
      ctx.state.foreignSnapshotsSent += slice.filter((x) => x.owner !== unit.accountId).length;
      const items = slice
        .map(
          (s) =>
            `<item><snapshotId>${s.id}</snapshotId><volumeId>${s.volumeId}</volumeId><status>completed</status><startTime>${s.created}</startTime><progress>100%</progress><ownerId>${s.owner}</ownerId><volumeSize>${s.size}</volumeSize><description/><encrypted>${s.encrypted}</encrypted>${el('kmsKeyId', s.keyArn)}${tagSet(s.tags)}<storageTier>standard</storageTier></item>`,
        )
        .join('');
      return ec2Ok(res, 'DescribeSnapshots', `<snapshotSet>${items}</snapshotSet>${el('nextToken', next)}`);
    }
    case 'GetEbsEncryptionByDefault':
      return ec2Ok(res, 'GetEbsEncryptionByDefault', '<ebsEncryptionByDefault>true</ebsEncryptionByDefault><sseType>sse-ebs</sseType>');
    case 'GetEbsDefaultKmsKeyId': {
      const key = unit.keys.find((k) => k.aliases[0] === 'alias/aws/ebs');
      return ec2Ok(res, 'GetEbsDefaultKmsKeyId', el('kmsKeyId', key?.arn ?? 'alias/aws/ebs'));
    }
    case 'DescribeRegions': {
      const items = state.org.regions.map((r) => `<item><regionName>${r}</regionName><regionEndpoint>ec2.${r}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`).join('');
      return ec2Ok(res, 'DescribeRegions', `<regionInfo>${items}</regionInfo>`);
    }
    default:
      return errorReply(res, 'ec2', 'ec2', 400, 'InvalidAction', `fake-aws does not implement ${operation}`);
  }
}

// RDS ---------------------------------------------------------------------

function rds({ res, unit, operation, body }) {
  const params = new URLSearchParams(body);
  const tagList = (tags) => tagXml(tags, 'TagList', 'Tag');
  const paged = (items, wrapper, render) => {
    const { slice, next } = page(items, params.get('Marker'), Number(params.get('MaxRecords')));
    return queryOk(res, 'rds', operation, `${el('Marker', next)}<${wrapper}>${slice.map(render).join('')}</${wrapper}>`);
  };
  switch (operation) {
    case 'DescribeDBInstances':
      return paged(
        unit.dbInstances,
        'DBInstances',
        (d) =>
          `<DBInstance><DBInstanceIdentifier>${d.id}</DBInstanceIdentifier><DBInstanceClass>db.t3.medium</DBInstanceClass><Engine>${d.engine}</Engine><DBInstanceStatus>available</DBInstanceStatus><InstanceCreateTime>${d.created}</InstanceCreateTime><StorageEncrypted>${d.encrypted}</StorageEncrypted>${el('KmsKeyId', d.keyArn)}<DBInstanceArn>${d.arn}</DBInstanceArn>${tagList(d.tags)}</DBInstance>`,
      );
    case 'DescribeDBSnapshots':
      return paged(
        unit.dbSnapshots,
        'DBSnapshots',
        (s) =>
          `<DBSnapshot><DBSnapshotIdentifier>${s.id}</DBSnapshotIdentifier><DBInstanceIdentifier>${s.source}</DBInstanceIdentifier><SnapshotCreateTime>${s.created}</SnapshotCreateTime><Engine>${s.engine}</Engine><Status>available</Status><SnapshotType>manual</SnapshotType><Encrypted>${s.encrypted}</Encrypted>${el('KmsKeyId', s.keyArn)}<DBSnapshotArn>${s.arn}</DBSnapshotArn>${tagList(s.tags)}</DBSnapshot>`,
      );
    case 'DescribeDBClusters':
      return paged([], 'DBClusters', () => '');
    case 'DescribeDBClusterSnapshots':
      return paged([], 'DBClusterSnapshots', () => '');
    case 'DescribeDBInstanceAutomatedBackups':
      return paged([], 'DBInstanceAutomatedBackups', () => '');
    case 'DescribeDBClusterAutomatedBackups':
      return paged([], 'DBClusterAutomatedBackups', () => '');
    default:
      return errorReply(res, 'query', 'rds', 400, 'InvalidAction', `fake-aws does not implement ${operation}`);
  }
}

// Redshift ----------------------------------------------------------------

function redshift({ res, unit, operation, body, account }) {
  const params = new URLSearchParams(body);
  const tags = (t) => tagXml(t, 'Tags', 'Tag');
  switch (operation) {
    case 'DescribeClusters': {
      const { slice, next } = page(unit.clusters, params.get('Marker'), Number(params.get('MaxRecords')));
      const items = slice
        .map(
          (c) =>
            `<Cluster><ClusterIdentifier>${c.id}</ClusterIdentifier><NodeType>${c.nodeType}</NodeType><ClusterStatus>available</ClusterStatus><NumberOfNodes>2</NumberOfNodes><ClusterCreateTime>${c.created}</ClusterCreateTime><Encrypted>${c.encrypted}</Encrypted>${el('KmsKeyId', c.keyArn)}${tags(c.tags)}</Cluster>`,
        )
        .join('');
      return queryOk(res, 'redshift', 'DescribeClusters', `${el('Marker', next)}<Clusters>${items}</Clusters>`);
    }
    case 'DescribeClusterSnapshots':
      void account;
      return queryOk(res, 'redshift', 'DescribeClusterSnapshots', '<Snapshots></Snapshots>');
    default:
      return errorReply(res, 'query', 'redshift', 400, 'InvalidAction', `fake-aws does not implement ${operation}`);
  }
}

function redshiftServerless({ res, operation }) {
  if (operation === 'ListNamespaces') return jsonOk(res, 'redshift-serverless', { namespaces: [] });
  if (operation === 'ListTagsForResource') return jsonOk(res, 'redshift-serverless', { tags: [] });
  if (operation === 'ListSnapshots') return jsonOk(res, 'redshift-serverless', { snapshots: [] });
  return errorReply(res, 'json', 'redshift-serverless', 400, 'UnknownOperationException', operation);
}

// KMS ---------------------------------------------------------------------

function findKey(unit, ref) {
  if (!ref) return undefined;
  const id = ref.startsWith('arn:') ? ref.split(':').slice(5).join(':') : ref;
  if (id.startsWith('key/')) return unit.keys.find((k) => k.keyId === id.slice(4));
  if (id.startsWith('alias/')) return unit.keys.find((k) => k.aliases.includes(id));
  return unit.keys.find((k) => k.keyId === id);
}

function keyMetadata(account, region, k) {
  const meta = {
    AWSAccountId: account.accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: epoch(k.created),
    Enabled: k.state === 'Enabled',
    Description: k.manager === 'AWS' ? `Default key that protects my ${k.aliases[0].split('/')[2]} data when no other key is defined` : 'bench key',
    KeyUsage: k.usage,
    KeyState: k.state,
    Origin: k.origin,
    KeyManager: k.manager,
    CustomerMasterKeySpec: k.spec,
    KeySpec: k.spec,
    MultiRegion: false,
  };
  if (k.spec === 'SYMMETRIC_DEFAULT') meta.EncryptionAlgorithms = ['SYMMETRIC_DEFAULT'];
  if (k.origin === 'EXTERNAL') meta.ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  void region;
  return meta;
}

function kms({ state, res, account, unit, region, operation, body }) {
  const input = body ? JSON.parse(body) : {};
  const ok = (value) => jsonOk(res, 'kms', value);
  const keyOr404 = () => {
    const key = findKey(unit, input.KeyId);
    if (!key) errorReply(res, 'json', 'kms', 400, 'NotFoundException', `Key '${input.KeyId}' does not exist`);
    return key;
  };
  switch (operation) {
    case 'ListKeys': {
      const { slice, next } = page(unit.keys, input.Marker, input.Limit);
      return ok({ Keys: slice.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), Truncated: next !== null, ...(next ? { NextMarker: next } : {}) });
    }
    case 'ListAliases': {
      const aliases = unit.keys.flatMap((k) => k.aliases.map((a) => ({ AliasName: a, AliasArn: `arn:aws:kms:${region}:${account.accountId}:${a}`, TargetKeyId: k.keyId })));
      const { slice, next } = page(aliases, input.Marker, input.Limit);
      return ok({ Aliases: slice, Truncated: next !== null, ...(next ? { NextMarker: next } : {}) });
    }
    case 'DescribeKey': {
      const key = keyOr404();
      if (!key) return;
      const counted = `${account.accountId} ${region} ${key.keyId}`;
      state.described.set(counted, (state.described.get(counted) ?? 0) + 1);
      return ok({ KeyMetadata: keyMetadata(account, region, key) });
    }
    case 'GetKeyRotationStatus': {
      const key = keyOr404();
      if (key) ok({ KeyId: key.arn, KeyRotationEnabled: key.rotation, ...(key.rotation ? { RotationPeriodInDays: 365 } : {}) });
      return;
    }
    case 'GetKeyPolicy': {
      const key = keyOr404();
      if (!key) return;
      const policy = { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account.accountId}:root` }, Action: 'kms:*', Resource: '*' }] };
      return ok({ Policy: JSON.stringify(policy), PolicyName: 'default' });
    }
    case 'ListGrants': {
      const key = keyOr404();
      if (!key) return;
      const grants = Array.from({ length: key.grants }, (_, i) => ({
        KeyId: key.arn,
        GrantId: `${'0'.repeat(63)}${i}`,
        Name: `grant-${i}`,
        CreationDate: epoch(key.created),
        GranteePrincipal: `arn:aws:iam::${account.accountId}:role/app-${i}`,
        IssuingAccount: `arn:aws:iam::${account.accountId}:root`,
        Operations: ['Decrypt', 'GenerateDataKey'],
      }));
      return ok({ Grants: grants, Truncated: false });
    }
    case 'ListResourceTags': {
      const key = keyOr404();
      if (key) ok({ Tags: Object.entries(key.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false });
      return;
    }
    case 'ListKeyRotations': {
      const key = keyOr404();
      if (key) ok({ Rotations: [], Truncated: false });
      return;
    }
    case 'DescribeCustomKeyStores':
      return ok({ CustomKeyStores: [], Truncated: false });
    default:
      return errorReply(res, 'json', 'kms', 400, 'UnknownOperationException', `fake-aws does not implement kms:${operation}`);
  }
}

// DynamoDB ----------------------------------------------------------------

function dynamodb({ res, unit, operation, body }) {
  const input = body ? JSON.parse(body) : {};
  const ok = (value) => jsonOk(res, 'dynamodb', value);
  switch (operation) {
    case 'ListTables': {
      const names = unit.tables.map((t) => t.name);
      const start = input.ExclusiveStartTableName ? names.indexOf(input.ExclusiveStartTableName) + 1 : 0;
      const limit = input.Limit ?? 100;
      const slice = names.slice(start, start + limit);
      const more = start + limit < names.length;
      return ok({ TableNames: slice, ...(more ? { LastEvaluatedTableName: slice.at(-1) } : {}) });
    }
    case 'DescribeTable': {
      const table = unit.tables.find((t) => t.name === input.TableName || t.arn === input.TableName);
      if (!table) return errorReply(res, 'json', 'dynamodb', 400, 'ResourceNotFoundException', `Requested resource not found: Table: ${input.TableName} not found`);
      return ok({
        Table: {
          TableName: table.name,
          TableArn: table.arn,
          TableId: '00000000-0000-4000-8000-000000000000',
          TableStatus: 'ACTIVE',
          CreationDateTime: epoch(table.created),
          ...(table.keyArn ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: table.keyArn } } : {}),
        },
      });
    }
    case 'ListTagsOfResource': {
      const table = unit.tables.find((t) => t.arn === input.ResourceArn);
      if (!table) return errorReply(res, 'json', 'dynamodb', 400, 'ResourceNotFoundException', 'Requested resource not found');
      return ok({ Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) });
    }
    case 'ListBackups':
      return ok({ BackupSummaries: [] });
    default:
      return errorReply(res, 'json', 'dynamodb', 400, 'UnknownOperationException', `fake-aws does not implement dynamodb:${operation}`);
  }
}

// Lambda ------------------------------------------------------------------

function functionConfiguration(f) {
  return {
    FunctionName: f.name,
    FunctionArn: f.arn,
    Version: '$LATEST',
    Runtime: f.runtime,
    Role: f.arn.replace(/:lambda:[^:]+:(\d+):function:.*/, ':iam::$1:role/bench-fn'),
    Handler: 'index.handler',
    CodeSize: 1024,
    LastModified: f.modified.replace('Z', '+0000'),
    PackageType: 'Zip',
    ...(f.keyArn ? { KMSKeyArn: f.keyArn } : {}),
    ...(f.variables.length > 0 ? { Environment: { Variables: Object.fromEntries(f.variables.map((v) => [v, 'bench-value'])) } } : {}),
  };
}

function lambda({ res, unit, operation, url }) {
  const ok = (value) => send(res, 200, 'application/json', JSON.stringify(value));
  if (operation === 'ListFunctions') {
    const { slice, next } = page(unit.functions, url.searchParams.get('Marker'), Number(url.searchParams.get('MaxItems')) || 50);
    return ok({ Functions: slice.map(functionConfiguration), ...(next ? { NextMarker: next } : {}) });
  }
  if (operation === 'ListVersionsByFunction' || operation === 'ListAliases') {
    const ref = decodeURIComponent(url.pathname.split('/')[3]);
    const f = unit.functions.find((x) => x.arn === ref || x.name === ref);
    if (!f) return errorReply(res, 'rest-json', 'lambda', 404, 'ResourceNotFoundException', `Function not found: ${ref}`);
    // Only $LATEST: no published versions, so no aliases either.
    return ok(operation === 'ListAliases' ? { Aliases: [] } : { Versions: [functionConfiguration(f)] });
  }
  if (operation === 'GetFunction') {
    const ref = decodeURIComponent(url.pathname.split('/').pop());
    const f = unit.functions.find((x) => x.arn === ref || x.name === ref);
    if (!f) return errorReply(res, 'rest-json', 'lambda', 404, 'ResourceNotFoundException', `Function not found: ${ref}`);
    return ok({
      Configuration: functionConfiguration(f),
      Code: { RepositoryType: 'S3', Location: 'https://awslambda-fake.s3.amazonaws.com/snapshots/fake?X-Amz-Signature=fake', ...(f.sourceKeyArn ? { SourceKMSKeyArn: f.sourceKeyArn } : {}) },
      Tags: f.tags,
    });
  }
  return errorReply(res, 'rest-json', 'lambda', 400, 'InvalidRequestContentException', `fake-aws does not implement lambda:${operation}`);
}

// Resource Groups Tagging API ---------------------------------------------

function tagging({ res, unit, account, region, operation, body }) {
  if (operation !== 'GetResources') return errorReply(res, 'json', 'tagging', 400, 'InvalidParameterException', `fake-aws does not implement tagging:${operation}`);
  const input = body ? JSON.parse(body) : {};
  const types = input.ResourceTypeFilters ?? [];
  const wanted = (type) => types.length === 0 || types.includes(type) || types.includes(type.split(':')[0]);
  const mappings = [];
  const add = (arn, tags) => {
    // GetResources lists only resources that carry tags.
    if (Object.keys(tags).length > 0) mappings.push({ ResourceARN: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
  };
  if (wanted('s3:bucket')) for (const b of account.buckets.filter((x) => x.region === region)) add(`arn:aws:s3:::${b.name}`, b.tags);
  if (wanted('dynamodb:table')) for (const t of unit.tables) add(t.arn, t.tags);
  if (wanted('kms:key')) for (const k of unit.keys) add(k.arn, k.tags);
  const { slice, next } = page(mappings, input.PaginationToken, input.ResourcesPerPage ?? 50);
  return jsonOk(res, 'tagging', { ResourceTagMappingList: slice, PaginationToken: next ?? '' });
}
