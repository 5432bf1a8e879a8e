import { ACCOUNT } from './context.js';
import type { HttpReply, SentRequest } from './http.js';

/**
 * A small AWS organisation answered at the HTTP level, for the reach tests
 * (accounts, regions, shards, progress): STS (GetCallerIdentity,
 * AssumeRole), EC2 DescribeRegions, Organizations ListAccounts (paginated),
 * KMS (every call the KMS check sends) and S3 (ListBuckets and the three
 * per-bucket calls). Replies are shaped as the AWS API references document
 * them (query/XML for STS and EC2, JSON 1.1 for KMS and Organizations,
 * REST-XML for S3).
 *
 * Which account a request is for is read from the access key it was signed
 * with: the caller's test key is the management account; AssumeRole hands
 * out keys that name their account. Credentials expire after
 * `credentialSeconds` (by the caller's clock, `now`): a request signed with
 * an expired key gets ExpiredToken, as AWS answers.
 *
 * Used by ScriptedClients (in process) and by a loopback HTTP server (the
 * spawned CLI); nothing leaves the machine.
 */
export type OptIn = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface FakeAccount {
  id: string;
  name?: string;
  /** Organizations State; default ACTIVE. */
  state?: string;
  regions: Record<string, OptIn>;
  /** Customer managed keys per region (the first of each region has rotation off: a failing finding). */
  keys?: Record<string, number>;
  buckets?: Array<{ name: string; region: string; kmsKeyArn?: string }>;
  /** false: AssumeRole into this account is denied. */
  assumable?: boolean;
}

export interface FakeOrgOptions {
  management?: string;
  accounts: FakeAccount[];
  /** ListAccounts page size (AWS: MaxResults up to 20). */
  pageSize?: number;
  credentialSeconds?: number;
  now?: () => number;
}

export interface FakeOrg {
  route: (req: SentRequest) => HttpReply;
  /** Every request, with the account it was for. */
  readonly log: Array<SentRequest & { account: string | null; operation: string }>;
  readonly assumeRoleCalls: string[];
  /** Requests answered ExpiredToken. */
  readonly expired: number;
}

const XMLNS_STS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const XMLNS_EC2 = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const XMLNS_S3 = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function keyId(accountId: string, region: string, index: number): string {
  // A UUID whose last group is the account id: 12 decimal digits are 12 hex digits.
  const r = [...region].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) % 0xffff, 7);
  return `${r.toString(16).padStart(4, '0')}${index.toString(16).padStart(4, '0')}-1111-2222-3333-${accountId}`;
}

export function keyArn(accountId: string, region: string, index: number): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId(accountId, region, index)}`;
}

function xml(body: string, status = 200): HttpReply {
  return { status, headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function json(body: unknown, status = 200, type?: string): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-errortype': `${type}:` } : {}) },
    body: JSON.stringify(body),
  };
}

function stsError(code: string, message: string, status: number): HttpReply {
  return xml(`<ErrorResponse xmlns="${XMLNS_STS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`, status);
}

function ec2Error(code: string, message: string, status: number): HttpReply {
  return xml(`<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>`, status);
}

function s3Error(code: string, message: string, status: number): HttpReply {
  return { status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>` };
}

export function fakeOrg(options: FakeOrgOptions): FakeOrg {
  const management = options.management ?? ACCOUNT;
  const now = options.now ?? Date.now;
  const lifetime = (options.credentialSeconds ?? 3600) * 1000;
  const byId = new Map(options.accounts.map((a) => [a.id, a]));
  const issued = new Map<string, { account: string; expires: number }>();
  const log: FakeOrg['log'] = [];
  const assumeRoleCalls: string[] = [];
  let expired = 0;
  let serial = 0;

  const accountOf = (req: SentRequest): string | null => {
    if (!req.accessKeyId) return null;
    if (req.accessKeyId === 'AKIDTEST') return management;
    return issued.get(req.accessKeyId)?.account ?? null;
  };

  const route = (req: SentRequest): HttpReply => {
    const account = accountOf(req);
    const form = new URLSearchParams(req.body);
    const service = req.scope?.service ?? '';
    const region = req.scope?.region ?? 'us-east-1';
    const operation = req.target ?? form.get('Action') ?? `${req.method} ${req.path}${Object.keys(req.query).length ? `?${Object.keys(req.query).join('&')}` : ''}`;
    log.push({ ...req, account, operation });
    const key = req.accessKeyId ? issued.get(req.accessKeyId) : undefined;
    // Expired means signed with a key past its expiry. (A request signed in time
    // but answered after a test jumped the clock is not: nothing on the wire
    // takes minutes. The signing time is X-Amz-Date, to the second.)
    const signedAt = req.signedAt ?? now();
    if (key && key.expires <= signedAt) {
      expired += 1;
      if (service === 'kms') return json({ __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }, 400, 'ExpiredTokenException');
      if (service === 's3') return s3Error('ExpiredToken', 'The provided token has expired.', 400);
      return stsError('ExpiredToken', 'The security token included in the request is expired', 400);
    }
    if (!account) return stsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    const me = byId.get(account) ?? { id: account, regions: { 'us-east-1': 'opt-in-not-required' as const } };
    if (me.regions[region] === 'not-opted-in' && service !== 'sts') {
      return ec2Error('UnrecognizedClientException', `The security token included in the request is invalid (${region} is not enabled for ${account})`, 400);
    }

    switch (service) {
      case 'sts':
        return sts(form, account, region);
      case 'ec2':
        if (form.get('Action') === 'DescribeRegions') {
          const items = Object.entries(me.regions)
            .map(([name, status]) => `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>${status}</optInStatus></item>`)
            .join('');
          return xml(`<DescribeRegionsResponse xmlns="${XMLNS_EC2}"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><regionInfo>${items}</regionInfo></DescribeRegionsResponse>`);
        }
        return ec2Error('InvalidAction', `unexpected ${operation}`, 400);
      case 'organizations':
        return organizations(req, account);
      case 'kms':
        return kms(req, me, region);
      case 's3':
        return s3(req, me);
      case 'tagging':
        // The Resource Groups Tagging API (tags in bulk): nothing here carries tags.
        return json({ ResourceTagMappingList: [], PaginationToken: '' });
      case 's3express':
        // S3 Express One Zone (directory buckets, ListDirectoryBuckets per region): none in the fake organisation.
        return xml(`<ListAllMyDirectoryBucketsResult xmlns="${XMLNS_S3}"><Buckets></Buckets></ListAllMyDirectoryBucketsResult>`);
      default:
        return stsError('InvalidAction', `unexpected ${service} ${operation}`, 400);
    }
  };

  function sts(form: URLSearchParams, account: string, region: string): HttpReply {
    const action = form.get('Action');
    if (action === 'GetCallerIdentity') {
      const arn = account === management ? `arn:aws:iam::${management}:user/auditor` : `arn:aws:sts::${account}:assumed-role/atrest-readonly/atrest`;
      return xml(`<GetCallerIdentityResponse xmlns="${XMLNS_STS}"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAEXAMPLE</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    if (action === 'AssumeRole') {
      const roleArn = form.get('RoleArn') ?? '';
      assumeRoleCalls.push(roleArn);
      const target = roleArn.split(':')[4] ?? '';
      const role = byId.get(target);
      if (!role || role.assumable === false) {
        return stsError('AccessDenied', `User: arn:aws:iam::${account}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      }
      serial += 1;
      const accessKeyId = `ASIA${target}X${String(serial).padStart(4, '0')}`;
      const expires = now() + lifetime;
      issued.set(accessKeyId, { account: target, expires });
      const session = form.get('RoleSessionName') ?? 'atrest';
      return xml(
        `<AssumeRoleResponse xmlns="${XMLNS_STS}"><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::${target}:assumed-role/${roleArn.split('/').at(-1)}/${session}</Arn><AssumedRoleId>AROAEXAMPLEROLEID:${session}</AssumedRoleId></AssumedRoleUser>` +
          `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>secret-${serial}</SecretAccessKey><SessionToken>token-${serial}</SessionToken><Expiration>${new Date(expires).toISOString()}</Expiration></Credentials>` +
          `<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }
    void region;
    return stsError('InvalidAction', `unexpected ${action}`, 400);
  }

  function organizations(req: SentRequest, account: string): HttpReply {
    if (req.target !== 'ListAccounts') return json({ __type: 'InvalidInputException', Message: `unexpected ${req.target}` }, 400, 'InvalidInputException');
    if (account !== management) return json({ __type: 'AccessDeniedException', Message: 'You don\'t have permissions to access this resource.' }, 400, 'AccessDeniedException');
    const input = JSON.parse(req.body || '{}') as { NextToken?: string; MaxResults?: number };
    const size = Math.min(options.pageSize ?? 20, input.MaxResults ?? 20);
    const start = input.NextToken ? Number(input.NextToken.replace('page-', '')) : 0;
    const all = [{ id: management, name: 'management', state: 'ACTIVE' }, ...options.accounts.filter((a) => a.id !== management).map((a) => ({ id: a.id, name: a.name ?? `account-${a.id}`, state: a.state ?? 'ACTIVE' }))];
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? `page-${start + size}` : undefined;
    return json({
      Accounts: page.map((a) => ({
        Id: a.id,
        Arn: `arn:aws:organizations::${management}:account/o-exampleorgid/${a.id}`,
        Email: `${a.name}@example.com`,
        Name: a.name,
        State: a.state,
        Status: a.state === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
        JoinedMethod: 'CREATED',
        JoinedTimestamp: 1_700_000_000,
      })),
      ...(next ? { NextToken: next } : {}),
    });
  }

  function kms(req: SentRequest, me: FakeAccount, region: string): HttpReply {
    const input = JSON.parse(req.body || '{}') as { KeyId?: string };
    const count = me.keys?.[region] ?? 0;
    const ours = Array.from({ length: count }, (_, i) => ({ KeyId: keyId(me.id, region, i), KeyArn: keyArn(me.id, region, i) }));
    const requested = input.KeyId ? ours.find((k) => k.KeyArn === input.KeyId || k.KeyId === input.KeyId) : undefined;
    switch (req.target) {
      case 'ListKeys':
        return json({ Keys: ours, Truncated: false });
      case 'ListAliases':
        return json({ Aliases: [], Truncated: false });
      case 'DescribeCustomKeyStores':
        return json({ CustomKeyStores: [], Truncated: false });
      case 'DescribeKey': {
        if (!requested) return json({ __type: 'AccessDeniedException', message: `User is not authorized to perform: kms:DescribeKey on ${input.KeyId} (it is not a key of account ${me.id} in ${region})` }, 400, 'AccessDeniedException');
        return json({
          KeyMetadata: {
            AWSAccountId: me.id, KeyId: requested.KeyId, Arn: requested.KeyArn, CreationDate: 1_700_000_000, Enabled: true, KeyState: 'Enabled',
            KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT',
            EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, Description: '',
          },
        });
      }
      case 'GetKeyRotationStatus': {
        const first = requested?.KeyId === keyId(me.id, region, 0);
        return json({ KeyRotationEnabled: !first, ...(first ? {} : { RotationPeriodInDays: 365 }), KeyId: requested?.KeyArn });
      }
      case 'GetKeyPolicy':
        return json({
          PolicyName: 'default',
          Policy: JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${me.id}:root` }, Action: 'kms:*', Resource: '*' }] }),
        });
      case 'ListGrants':
        return json({ Grants: [], Truncated: false });
      case 'ListResourceTags':
        return json({ Tags: [], Truncated: false });
      case 'ListKeyRotations':
        return json({ Rotations: [], Truncated: false });
      default:
        return json({ __type: 'UnsupportedOperationException', message: `unexpected ${req.target}` }, 400, 'UnsupportedOperationException');
    }
  }

  function s3(req: SentRequest, me: FakeAccount): HttpReply {
    const host = req.hostname.split('.');
    // Virtual-hosted (bucket.s3.region.amazonaws.com) or path-style (/bucket?encryption) behind --endpoint-url.
    const virtual = host.length > 4 && host[1] === 's3' ? host[0]! : null;
    const pathBucket = req.path.split('/').filter(Boolean)[0] ?? null;
    const name = virtual ?? pathBucket;
    if (!name) {
      const items = (me.buckets ?? [])
        .map((b) => `<Bucket><Name>${b.name}</Name><CreationDate>2024-01-02T03:04:05.000Z</CreationDate><BucketRegion>${b.region}</BucketRegion></Bucket>`)
        .join('');
      return xml(`<ListAllMyBucketsResult xmlns="${XMLNS_S3}"><Owner><ID>owner-${me.id}</ID></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`);
    }
    const bucket = (me.buckets ?? []).find((b) => b.name === name);
    if (!bucket) return s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
    if ('encryption' in req.query) {
      const rule = bucket.kmsKeyArn
        ? `<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>${bucket.kmsKeyArn}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled>`
        : '<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>';
      return xml(`<ServerSideEncryptionConfiguration xmlns="${XMLNS_S3}"><Rule>${rule}</Rule></ServerSideEncryptionConfiguration>`);
    }
    if ('policy' in req.query) return s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
    if ('tagging' in req.query) return s3Error('NoSuchTagSet', 'The TagSet does not exist', 404);
    return s3Error('NotImplemented', `unexpected ${req.method} ${req.path}`, 501);
  }

  return {
    route,
    log,
    assumeRoleCalls,
    get expired() {
      return expired;
    },
  };
}
