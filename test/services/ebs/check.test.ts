import {
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import { ebsCheck } from '../../../src/services/ebs/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { ACCOUNT, checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';
import { KEY, mockKeys } from '../../helpers/ebs-rds-kms.js';

const ec2 = mockSdkClient(EC2Client);
const kms = mockSdkClient(KMSClient);

function mockPages(): void {
  ec2.on(DescribeVolumesCommand).resolves(awsFixture('ebs/describe-volumes-page1.json'));
  ec2.on(DescribeVolumesCommand, { NextToken: 'volumes-page-2' }).resolves(awsFixture('ebs/describe-volumes-page2.json'));
  ec2.on(DescribeSnapshotsCommand).resolves(awsFixture('ebs/describe-snapshots-page1.json'));
  ec2.on(DescribeSnapshotsCommand, { NextToken: 'snapshots-page-2' }).resolves(awsFixture('ebs/describe-snapshots-page2.json'));
  ec2.on(GetEbsEncryptionByDefaultCommand).resolves(awsFixture('ebs/get-ebs-encryption-by-default-on.json'));
  ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves(awsFixture('ebs/get-ebs-default-kms-key-id-cmk.json'));
}

function byId(resources: Resource[], id: string): Resource {
  const found = resources.find((r) => r.id === id);
  if (!found) throw new Error(`no resource ${id} in ${resources.map((r) => r.id).join(', ')}`);
  return found;
}

beforeEach(() => mockKeys(kms));

describe('ebs check', () => {
  it('reads every page of volumes and snapshots and classifies each by Encrypted and its resolved key', async () => {
    mockPages();
    const { resources, errors } = await ebsCheck.run(checkContext());
    expect(errors).toEqual([]);
    expect(resources.filter((r) => r.type === 'volume').map((r) => r.id)).toEqual([
      'vol-0a1b2c3d4e5f60001',
      'vol-0a1b2c3d4e5f60002',
      'vol-0a1b2c3d4e5f60003',
      'vol-0a1b2c3d4e5f60004',
      'vol-0a1b2c3d4e5f60005',
    ]);
    expect(byId(resources, 'vol-0a1b2c3d4e5f60001').protection).toMatchObject({ level: 'customer-managed', keyArn: KEY.app });
    expect(byId(resources, 'vol-0a1b2c3d4e5f60002').protection).toMatchObject({ level: 'none', keyArn: null });
    expect(byId(resources, 'vol-0a1b2c3d4e5f60004').protection).toMatchObject({ level: 'aws-managed', keyArn: KEY.ebs });
    // Pending deletion is a key-state fact for the rules; the level stays the key's.
    expect(byId(resources, 'vol-0a1b2c3d4e5f60005').protection).toMatchObject({ level: 'customer-managed', keyArn: KEY.doomed });

    // Both pages were requested, the second with the first page's token, and managed volumes were asked for.
    const volumeCalls = ec2.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input);
    expect(volumeCalls).toHaveLength(2);
    expect(volumeCalls[0]).toMatchObject({ IncludeManagedResources: true });
    expect(volumeCalls[1]).toMatchObject({ NextToken: 'volumes-page-2', IncludeManagedResources: true });
    expect(ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ OwnerIds: ['self'] }),
      expect.objectContaining({ OwnerIds: ['self'], NextToken: 'snapshots-page-2' }),
    ]);
  });

  it('records attachments, so a user sees which instances a volume serves', async () => {
    mockPages();
    const { resources } = await ebsCheck.run(checkContext());
    const volume = byId(resources, 'vol-0a1b2c3d4e5f60002');
    expect(volume.attributes.attachedInstances).toEqual(['i-0fedcba9876543210']);
    expect(volume.attributes.attachments).toEqual([{ instanceId: 'i-0fedcba9876543210', device: '/dev/sdf', state: 'attached' }]);
    expect(volume.attributes.createdAt).toBe('2019-02-11T09:30:00.000Z');
    expect(volume.arn).toBe(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0a1b2c3d4e5f60002`);
    expect(volume.evidence.Attachments).toEqual([
      expect.objectContaining({ InstanceId: 'i-0fedcba9876543210', AttachTime: '2025-06-01T12:00:00.000Z' }),
    ]);
    expect(byId(resources, 'vol-0a1b2c3d4e5f60005').attributes.managedBy).toBe('eks.amazonaws.com');
  });

  it('treats Encrypted=false as none even when a KmsKeyId is present, and never resolves that key', async () => {
    mockPages();
    const { resources } = await ebsCheck.run(checkContext());
    const volume = byId(resources, 'vol-0a1b2c3d4e5f60003');
    expect(volume.protection.level).toBe('none');
    expect(volume.protection.notes.join(' ')).toContain('ignored');
    const described = kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId);
    expect(described.some((k) => String(k).includes('00000000-0000-0000-0000-000000000000'))).toBe(false);
  });

  it('keeps only the snapshots the scanned account owns, even when the endpoint ignores OwnerIds=self', async () => {
    mockPages();
    const { resources } = await ebsCheck.run(checkContext());
    const snapshots = resources.filter((r) => r.type === 'snapshot');
    expect(snapshots.map((r) => r.id)).toEqual(['snap-0a1b2c3d4e5f60001', 'snap-0a1b2c3d4e5f60002', 'snap-0a1b2c3d4e5f60003']);
    expect(snapshots.every((s) => s.evidence.OwnerId === ACCOUNT)).toBe(true);
    expect(byId(resources, 'snap-0a1b2c3d4e5f60002').protection.level).toBe('none');
    expect(byId(resources, 'snap-0a1b2c3d4e5f60003').protection.level).toBe('aws-managed');
    expect(byId(resources, 'snap-0a1b2c3d4e5f60001').arn).toBe('arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001');
  });

  it('reports the Region setting as one resource with id <account>:<region>, at the default key level when on', async () => {
    mockPages();
    const { resources } = await ebsCheck.run(checkContext({ region: 'us-east-1' }));
    const setting = resources.filter((r) => r.type === 'ebs-encryption-by-default');
    expect(setting).toHaveLength(1);
    expect(setting[0]).toMatchObject({
      id: `${ACCOUNT}:us-east-1`,
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:ebs-encryption-by-default`,
      service: 'ebs',
      protection: { level: 'customer-managed', keyArn: KEY.app },
      attributes: { enabled: true, defaultKeyArn: KEY.app, defaultKeyLevel: 'customer-managed' },
    });
  });

  it('gives the setting level none when off, and still resolves the default key (alias/aws/ebs)', async () => {
    mockPages();
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves(awsFixture('ebs/get-ebs-encryption-by-default-off.json'));
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves(awsFixture('ebs/get-ebs-default-kms-key-id-aws.json'));
    const { resources, errors } = await ebsCheck.run(checkContext());
    expect(errors).toEqual([]);
    const setting = resources.find((r) => r.type === 'ebs-encryption-by-default')!;
    expect(setting.protection.level).toBe('none');
    expect(setting.attributes).toMatchObject({ enabled: false, defaultKeyRef: 'alias/aws/ebs', defaultKeyArn: KEY.ebs, defaultKeyLevel: 'aws-managed' });
  });

  it('still reports the on/off setting when the default-key call fails, with the key unknown and the reason', async () => {
    mockPages();
    ec2.on(GetEbsDefaultKmsKeyIdCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const { resources, errors } = await ebsCheck.run(checkContext());
    const setting = resources.find((r) => r.type === 'ebs-encryption-by-default')!;
    expect(setting.attributes.enabled).toBe(true);
    expect(setting.attributes.defaultKeyLevel).toBe('unknown');
    expect(setting.protection.level).toBe('unknown');
    expect(setting.protection.notes.join(' ')).toContain('UnauthorizedOperation');
    expect(setting.error).toMatchObject({ operation: 'GetEbsDefaultKmsKeyId', code: 'UnauthorizedOperation' });
    expect(errors).toEqual([
      expect.objectContaining({ service: 'ebs', region: 'us-east-1', operation: 'GetEbsDefaultKmsKeyId', code: 'UnauthorizedOperation', resourceArn: setting.arn }),
    ]);
    // The volumes are unaffected.
    expect(resources.filter((r) => r.type === 'volume')).toHaveLength(5);
  });

  it('keeps level none when the setting is off even if the default-key call fails', async () => {
    mockPages();
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves(awsFixture('ebs/get-ebs-encryption-by-default-off.json'));
    ec2.on(GetEbsDefaultKmsKeyIdCommand).rejects(awsError('InternalError', 'An internal error has occurred', 500));
    const { resources, errors } = await ebsCheck.run(checkContext());
    const setting = resources.find((r) => r.type === 'ebs-encryption-by-default')!;
    expect(setting.protection.level).toBe('none');
    expect(setting.attributes.defaultKeyLevel).toBe('unknown');
    expect(errors.map((e) => e.operation)).toEqual(['GetEbsDefaultKmsKeyId']);
  });

  it('makes the setting unknown, with the error, when GetEbsEncryptionByDefault is denied', async () => {
    mockPages();
    ec2.on(GetEbsEncryptionByDefaultCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const { resources, errors } = await ebsCheck.run(checkContext());
    const setting = resources.find((r) => r.type === 'ebs-encryption-by-default')!;
    expect(setting.protection.level).toBe('unknown');
    expect(setting.attributes.enabled).toBeNull();
    expect(setting.error).toMatchObject({ operation: 'GetEbsEncryptionByDefault', code: 'UnauthorizedOperation' });
    expect(errors.map((e) => e.operation)).toEqual(['GetEbsEncryptionByDefault']);
  });

  it('records a scan error when DescribeVolumes is denied, and still reports snapshots and the setting', async () => {
    mockPages();
    ec2.on(DescribeVolumesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const { resources, errors } = await ebsCheck.run(checkContext());
    expect(errors).toEqual([
      { service: 'ebs', region: 'us-east-1', operation: 'DescribeVolumes', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.' },
    ]);
    expect(resources.filter((r) => r.type === 'volume')).toEqual([]);
    expect(resources.filter((r) => r.type === 'snapshot')).toHaveLength(3);
    expect(resources.filter((r) => r.type === 'ebs-encryption-by-default')).toHaveLength(1);
  });

  it('keeps the volumes of pages read before a later page fails', async () => {
    mockPages();
    ec2.on(DescribeVolumesCommand, { NextToken: 'volumes-page-2' }).rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));
    const { resources, errors } = await ebsCheck.run(checkContext());
    expect(resources.filter((r) => r.type === 'volume').map((r) => r.id)).toHaveLength(3);
    expect(errors.map((e) => `${e.operation}:${e.code}`)).toEqual(['DescribeVolumes:RequestLimitExceeded']);
  });

  it('is unknown, never a guess, when Encrypted or the key is missing, and survives missing ids', async () => {
    ec2.on(DescribeVolumesCommand).resolves({
      Volumes: [
        { VolumeId: 'vol-missing-encrypted', State: 'available' },
        { VolumeId: 'vol-missing-key', Encrypted: true },
        { VolumeId: 'vol-bad-key', Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-8888-4a5b-9c8d-000000000008' },
        { Encrypted: false },
      ],
    });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-no-owner', Encrypted: false }] });
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({});
    ec2.on(GetEbsDefaultKmsKeyIdCommand).resolves({});
    const { resources } = await ebsCheck.run(checkContext());
    expect(byId(resources, 'vol-missing-encrypted').protection.level).toBe('unknown');
    expect(byId(resources, 'vol-missing-key').protection).toMatchObject({ level: 'unknown' });
    expect(byId(resources, 'vol-missing-key').protection.notes.join(' ')).toContain('no KmsKeyId');
    // A key that DescribeKey says does not exist: unknown, with the reason.
    expect(byId(resources, 'vol-bad-key').protection.level).toBe('unknown');
    expect(byId(resources, 'vol-bad-key').protection.notes.join(' ')).toContain('NotFoundException');
    expect(resources.filter((r) => r.type === 'volume')).toHaveLength(3);
    // No OwnerId at all: kept (we asked for OwnerIds=self), with a note.
    expect(byId(resources, 'snap-no-owner').protection.notes.join(' ')).toContain('OwnerId missing');
    const setting = resources.find((r) => r.type === 'ebs-encryption-by-default')!;
    expect(setting.protection.level).toBe('unknown');
    expect(setting.attributes).toMatchObject({ enabled: null, defaultKeyRef: 'alias/aws/ebs', defaultKeyLevel: 'aws-managed' });
  });
});
