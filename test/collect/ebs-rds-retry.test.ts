import { describe, expect, it } from 'vitest';
import { ebsCheck } from '../../src/services/ebs/check.js';
import { rdsCheck } from '../../src/services/rds/check.js';
import { ACCOUNT } from '../helpers/context.js';
import { ScriptedClients, scriptedContext, type SentRequest } from '../helpers/http.js';

/**
 * Throttling, then success, through the real SDK: aws-sdk-client-mock
 * replaces `send` and so skips the retry middleware, so these tests answer at
 * the HTTP layer instead, with the XML bodies EC2 and RDS send, and let the
 * SDK's own adaptive retry do its work.
 */
interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

/** The operation of a request: X-Amz-Target for JSON protocols (KMS), the form's Action for EC2 and RDS (query protocols). */
const operationOf = (request: SentRequest): string => request.target ?? new URLSearchParams(request.body).get('Action') ?? 'unknown';

/** Clients whose every call is answered by `answer`, told how many times that operation has been asked so far. */
function scripted(answer: (operation: string, attempt: number) => Answer): ScriptedClients & { operations: () => string[] } {
  const clients = new ScriptedClients((request) => {
    const operation = operationOf(request);
    const attempt = clients.sent.filter((r) => operationOf(r) === operation).length;
    const { status, body, contentType } = answer(operation, attempt);
    return { status, headers: { 'content-type': contentType ?? 'text/xml;charset=UTF-8' }, body };
  });
  return Object.assign(clients, { operations: () => clients.sent.map(operationOf) });
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const KEY_ID = '0f1e2d3c-2222-4a5b-9c8d-000000000002';

function ec2Answer(operation: string, attempt: number): Answer {
  switch (operation) {
    case 'DescribeVolumes':
      if (attempt === 1) {
        return {
          status: 503,
          body: '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>req-1</RequestID></Response>',
        };
      }
      return {
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8"?><DescribeVolumesResponse xmlns="${EC2_NS}"><requestId>req-2</requestId><volumeSet><item><volumeId>vol-0a1b2c3d4e5f60002</volumeId><size>100</size><snapshotId/><availabilityZone>us-east-1a</availabilityZone><status>in-use</status><createTime>2019-02-11T09:30:00.000Z</createTime><attachmentSet><item><volumeId>vol-0a1b2c3d4e5f60002</volumeId><instanceId>i-0fedcba9876543210</instanceId><device>/dev/sdf</device><status>attached</status><attachTime>2025-06-01T12:00:00.000Z</attachTime><deleteOnTermination>false</deleteOnTermination></item></attachmentSet><volumeType>gp3</volumeType><encrypted>false</encrypted><multiAttachEnabled>false</multiAttachEnabled></item></volumeSet></DescribeVolumesResponse>`,
      };
    case 'DescribeSnapshots':
      return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><DescribeSnapshotsResponse xmlns="${EC2_NS}"><requestId>req-3</requestId><snapshotSet/></DescribeSnapshotsResponse>` };
    case 'GetEbsEncryptionByDefault':
      return {
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8"?><GetEbsEncryptionByDefaultResponse xmlns="${EC2_NS}"><requestId>req-4</requestId><ebsEncryptionByDefault>false</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>`,
      };
    case 'GetEbsDefaultKmsKeyId':
      return {
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8"?><GetEbsDefaultKmsKeyIdResponse xmlns="${EC2_NS}"><requestId>req-5</requestId><kmsKeyId>alias/aws/ebs</kmsKeyId></GetEbsDefaultKmsKeyIdResponse>`,
      };
    case 'ListAliases':
      return {
        status: 200,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ Aliases: [{ AliasName: 'alias/aws/ebs', AliasArn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/ebs`, TargetKeyId: KEY_ID }] }),
      };
    case 'DescribeKey':
      return {
        status: 200,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({
          KeyMetadata: {
            AWSAccountId: ACCOUNT,
            KeyId: KEY_ID,
            Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`,
            KeyManager: 'AWS',
            KeyState: 'Enabled',
            Origin: 'AWS_KMS',
            KeySpec: 'SYMMETRIC_DEFAULT',
            KeyUsage: 'ENCRYPT_DECRYPT',
            Enabled: true,
            CreationDate: 1683705600,
          },
        }),
      };
    default:
      return { status: 400, body: `<Response><Errors><Error><Code>Unexpected</Code><Message>${operation}</Message></Error></Errors></Response>` };
  }
}

function rdsAnswer(operation: string, attempt: number): Answer {
  const emptyResult = (name: string, list: string) =>
    `<?xml version="1.0"?><${name}Response xmlns="${RDS_NS}"><${name}Result><${list}/></${name}Result><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></${name}Response>`;
  switch (operation) {
    case 'DescribeDBClusters':
      if (attempt === 1) {
        return {
          status: 400,
          body: `<?xml version="1.0"?><ErrorResponse xmlns="${RDS_NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
        };
      }
      return {
        status: 200,
        body: `<?xml version="1.0"?><DescribeDBClustersResponse xmlns="${RDS_NS}"><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>orders-aurora</DBClusterIdentifier><DBClusterArn>arn:aws:rds:us-east-1:${ACCOUNT}:cluster:orders-aurora</DBClusterArn><Engine>aurora-mysql</Engine><Status>available</Status><ClusterCreateTime>2026-03-10T14:22:00.000Z</ClusterCreateTime><StorageEncrypted>false</StorageEncrypted><StorageEncryptionType>sse-rds</StorageEncryptionType><DBClusterMembers><DBClusterMember><DBInstanceIdentifier>orders-aurora-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember></DBClusterMembers></DBCluster></DBClusters></DescribeDBClustersResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></DescribeDBClustersResponse>`,
      };
    case 'DescribeDBClusterSnapshots':
      return { status: 200, body: emptyResult('DescribeDBClusterSnapshots', 'DBClusterSnapshots') };
    case 'DescribeDBClusterAutomatedBackups':
      return { status: 200, body: emptyResult('DescribeDBClusterAutomatedBackups', 'DBClusterAutomatedBackups') };
    default:
      return { status: 400, body: `<ErrorResponse><Error><Code>Unexpected</Code><Message>${operation}</Message></Error></ErrorResponse>` };
  }
}

describe('throttling, then success, through the SDK retry', () => {
  it('ebs: DescribeVolumes is throttled once, retried, and the volume is reported with no scan error', async () => {
    const clients = scripted(ec2Answer);
    const { resources, errors } = await ebsCheck.run(scriptedContext(clients, { services: ['ebs'], concurrency: 2 }));
    expect(errors).toEqual([]);
    expect(clients.operations().filter((c) => c === 'DescribeVolumes')).toHaveLength(2);
    const volume = resources.find((r) => r.type === 'volume');
    expect(volume).toMatchObject({
      id: 'vol-0a1b2c3d4e5f60002',
      protection: { level: 'none' },
      attributes: { attachedInstances: ['i-0fedcba9876543210'], createdAt: '2019-02-11T09:30:00.000Z' },
    });
    expect(resources.find((r) => r.type === 'ebs-encryption-by-default')).toMatchObject({
      protection: { level: 'none' },
      attributes: { enabled: false, defaultKeyLevel: 'aws-managed' },
    });
  });

  it('rds: DescribeDBClusters is throttled once, retried, and the Aurora cluster is reported with no scan error', async () => {
    const clients = scripted(rdsAnswer);
    const { resources, errors } = await rdsCheck.run(scriptedContext(clients, { services: ['aurora'], concurrency: 2 }));
    expect(errors).toEqual([]);
    expect(clients.operations().filter((c) => c === 'DescribeDBClusters')).toHaveLength(2);
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({
      id: 'orders-aurora',
      service: 'aurora',
      protection: { level: 'aws-owned', algorithm: 'sse-rds' },
      attributes: { members: ['orders-aurora-1'], createdAt: '2026-03-10T14:22:00.000Z' },
    });
  });

  it('gives up after the configured attempts and records the throttling as a scan error', async () => {
    const clients = scripted((operation, attempt) => (operation === 'DescribeDBClusters' ? rdsAnswer(operation, 1) : rdsAnswer(operation, attempt)));
    const { resources, errors } = await rdsCheck.run(scriptedContext(clients, { services: ['aurora'], concurrency: 2 }));
    expect(clients.operations().filter((c) => c === 'DescribeDBClusters')).toHaveLength(3);
    expect(errors).toEqual([{ service: 'aurora', region: 'us-east-1', operation: 'DescribeDBClusters', code: 'Throttling', message: 'Rate exceeded' }]);
    expect(resources).toEqual([]);
  });
});
