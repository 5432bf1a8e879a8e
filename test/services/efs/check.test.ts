import { DescribeFileSystemsCommand, EFSClient, type FileSystemDescription } from '@aws-sdk/client-efs';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import { efsCheck } from '../../../src/services/efs/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { validator } from '../../../src/schema.js';
import { ACCOUNT, checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { inventory } from '../../helpers/inventory.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';
import { EFS_KEY, mockEfsKeys } from './kms.js';

const efs = mockSdkClient(EFSClient);
const kms = mockSdkClient(KMSClient);

function mockPages(): void {
  efs.on(DescribeFileSystemsCommand).resolves(awsFixture('efs/describe-file-systems-page1.json'));
  efs.on(DescribeFileSystemsCommand, { Marker: 'efs-page-2' }).resolves(awsFixture('efs/describe-file-systems-page2.json'));
}

function byId(resources: Resource[], id: string): Resource {
  const found = resources.find((r) => r.id === id);
  if (!found) throw new Error(`no resource ${id} in ${resources.map((r) => r.id).join(', ')}`);
  return found;
}

const notes = (resource: Resource): string => resource.protection.notes.join(' ');

beforeEach(() => mockEfsKeys(kms));

describe('efs check', () => {
  it('reads every page of DescribeFileSystems and classifies each file system by Encrypted and its resolved key', async () => {
    mockPages();
    const { resources, errors } = await efsCheck.run(checkContext());
    expect(errors).toEqual([]);
    expect(resources.map((r) => r.id)).toEqual([
      'fs-0a1b2c3d4e5f60001',
      'fs-0a1b2c3d4e5f60002',
      'fs-0a1b2c3d4e5f60003',
      'fs-0a1b2c3d4e5f60004',
      'fs-0a1b2c3d4e5f60005',
    ]);
    expect(resources.every((r) => r.service === 'efs' && r.type === 'file-system' && r.region === 'us-east-1' && r.accountId === ACCOUNT)).toBe(true);
    expect(byId(resources, 'fs-0a1b2c3d4e5f60001').protection).toMatchObject({ level: 'none', keyArn: null, notes: ['Encrypted=false'] });
    // Encrypted without naming a key at creation: DescribeFileSystems names the aws/elasticfilesystem key, which KMS says AWS manages.
    expect(byId(resources, 'fs-0a1b2c3d4e5f60002').protection).toMatchObject({ level: 'aws-managed', keyArn: EFS_KEY.awsManaged, keyRef: EFS_KEY.awsManaged });
    expect(byId(resources, 'fs-0a1b2c3d4e5f60003').protection).toMatchObject({ level: 'customer-managed', keyArn: EFS_KEY.app });

    // Both pages were asked for, 100 at a time; the second page's file systems
    // came back only because the second call carried the first page's NextMarker.
    // (The paginator reuses one input object, so the recorded inputs both show the last Marker.)
    const calls = efs.commandCalls(DescribeFileSystemsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls.every((input) => input.MaxItems === 100)).toBe(true);
    expect(calls[1]).toMatchObject({ Marker: 'efs-page-2' });
    // Each key was described once.
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input.KeyId).sort()).toEqual([EFS_KEY.app, EFS_KEY.awsManaged].sort());
  });

  it('is unknown, never a guess, when an encrypted file system names no key or a placeholder, and sends neither to KMS', async () => {
    mockPages();
    const { resources } = await efsCheck.run(checkContext());
    const noKey = byId(resources, 'fs-0a1b2c3d4e5f60004');
    expect(noKey.protection).toMatchObject({ level: 'unknown', keyArn: null, keyRef: null });
    expect(notes(noKey)).toContain('names no KmsKeyId');
    const placeholder = byId(resources, 'fs-0a1b2c3d4e5f60005');
    expect(placeholder.protection).toMatchObject({ level: 'unknown', keyArn: null, keyRef: '${KmsKeyId}' });
    expect(notes(placeholder)).toContain('is not a KMS key id, key ARN, alias name or alias ARN');
    const described = kms.commandCalls(DescribeKeyCommand).map((c) => String(c.args[0].input.KeyId));
    expect(described.some((k) => k.includes('KmsKeyId'))).toBe(false);
  });

  it('records what identifies a file system, its tags from the listing, and the raw fields as evidence', async () => {
    mockPages();
    const { resources } = await efsCheck.run(checkContext());
    const home = byId(resources, 'fs-0a1b2c3d4e5f60001');
    expect(home.arn).toBe(`arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-0a1b2c3d4e5f60001`);
    expect(home.tags).toEqual({ Name: 'shared-home', team: 'platform' });
    expect(home.attributes).toEqual({
      encrypted: false,
      name: 'shared-home',
      state: 'available',
      mountTargets: 3,
      createdAt: '2019-04-02T10:15:00.000Z',
      availabilityZone: null,
      performanceMode: 'generalPurpose',
      throughputMode: 'bursting',
    });
    expect(home.evidence).toMatchObject({ FileSystemId: 'fs-0a1b2c3d4e5f60001', Encrypted: false, CreationTime: '2019-04-02T10:15:00.000Z', NumberOfMountTargets: 3 });
    // The size changes with every write: not evidence of encryption, not recorded.
    expect(home.evidence).not.toHaveProperty('SizeInBytes');
    const media = byId(resources, 'fs-0a1b2c3d4e5f60003');
    expect(media.tags).toEqual({ Name: 'media-assets', 'data-classification': 'restricted' });
    expect(media.attributes.availabilityZone).toBe('us-east-1a');
    expect(media.evidence.KmsKeyId).toBe(EFS_KEY.app);
    // An empty Tags list is "no tags", a fact tag overrides can rely on.
    expect(byId(resources, 'fs-0a1b2c3d4e5f60004').tags).toEqual({});
  });

  it('what it writes is a valid inventory', async () => {
    mockPages();
    const ctx = checkContext();
    const { resources, errors } = await efsCheck.run(ctx);
    const validate = validator('inventory.schema.json');
    const inv = inventory({ resources, errors, keys: await ctx.keys.records(), services: ['efs'] });
    expect(inv.keys.map((k) => [k.arn, k.level])).toEqual([
      [EFS_KEY.app, 'customer-managed'],
      [EFS_KEY.awsManaged, 'aws-managed'],
    ]);
    expect(inv.keys.find((k) => k.arn === EFS_KEY.awsManaged)!.aliases).toEqual(['alias/aws/elasticfilesystem']);
    expect(validate(inv), JSON.stringify(validate.errors)).toBe(true);
  });

  it('treats Encrypted=false as none even when a KmsKeyId is present, and never resolves that key', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({
      FileSystems: [
        {
          ...awsFixture('efs/describe-file-systems-page1.json').FileSystems[0],
          KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-9999-4a5b-9c8d-000000000009',
        },
      ],
    });
    const { resources } = await efsCheck.run(checkContext());
    expect(resources[0]!.protection.level).toBe('none');
    expect(notes(resources[0]!)).toContain('is present but ignored: Encrypted=false decides');
    expect(kms.commandCalls(DescribeKeyCommand)).toEqual([]);
  });

  it('records a scan error, and reports nothing it did not read, when DescribeFileSystems is denied', async () => {
    const message = `User: arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest is not authorized to perform: elasticfilesystem:DescribeFileSystems on the specified resource`;
    efs.on(DescribeFileSystemsCommand).rejects(awsError('AccessDeniedException', message, 403));
    const { resources, errors } = await efsCheck.run(checkContext({ region: 'eu-west-1' }));
    expect(resources).toEqual([]);
    expect(errors).toEqual([{ service: 'efs', region: 'eu-west-1', operation: 'DescribeFileSystems', code: 'AccessDeniedException', message }]);
  });

  it('keeps the file systems of a page read before a later page is throttled past its retries', async () => {
    mockPages();
    efs.on(DescribeFileSystemsCommand, { Marker: 'efs-page-2' }).rejects(awsError('ThrottlingException', 'Rate exceeded', 429));
    const { resources, errors } = await efsCheck.run(checkContext());
    expect(resources.map((r) => r.id)).toEqual(['fs-0a1b2c3d4e5f60001', 'fs-0a1b2c3d4e5f60002']);
    expect(errors).toEqual([{ service: 'efs', region: 'us-east-1', operation: 'DescribeFileSystems', code: 'ThrottlingException', message: 'Rate exceeded' }]);
  });

  it('survives missing fields: no Encrypted, no FileSystemId, no ARN, no Tags, a key KMS does not know', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({
      // What an endpoint that leaves out fields the API calls required sends.
      FileSystems: [
        { FileSystemId: 'fs-00000000000000001', LifeCycleState: 'available', Tags: [] },
        { FileSystemArn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-00000000000000002`, Encrypted: false, Tags: [] },
        { FileSystemId: 'fs-00000000000000003', Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-8888-4a5b-9c8d-000000000008' },
        { Encrypted: true, KmsKeyId: EFS_KEY.app },
        {},
      ] as Array<Partial<FileSystemDescription>> as FileSystemDescription[],
    });
    const { resources, errors } = await efsCheck.run(checkContext({ region: 'us-east-1' }));
    expect(resources.map((r) => r.id)).toEqual(['fs-00000000000000001', 'fs-00000000000000002', 'fs-00000000000000003']);

    const noEncrypted = byId(resources, 'fs-00000000000000001');
    expect(noEncrypted.protection.level).toBe('unknown');
    expect(notes(noEncrypted)).toContain('no Encrypted field');
    expect(noEncrypted.attributes).toMatchObject({ encrypted: null, name: null, mountTargets: null, createdAt: null });
    // No FileSystemArn: the ARN is built the way EFS writes it.
    expect(noEncrypted.arn).toBe(`arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-00000000000000001`);

    // No FileSystemId: the id is read from the ARN.
    expect(byId(resources, 'fs-00000000000000002').protection.level).toBe('none');

    // A key DescribeKey says does not exist: unknown, with the reason.
    const lostKey = byId(resources, 'fs-00000000000000003');
    expect(lostKey.protection.level).toBe('unknown');
    expect(notes(lostKey)).toContain('NotFoundException');
    // Tags is a required field: a response without it has not said "no tags".
    expect(lostKey.tags).toBeUndefined();
    expect(lostKey.tagsError).toEqual({ operation: 'DescribeFileSystems', code: 'MissingField', message: 'the response has no Tags for this file system' });

    // Two file systems could not be identified at all: not silently dropped, the scan says so.
    expect(errors).toEqual([
      {
        service: 'efs',
        region: 'us-east-1',
        operation: 'DescribeFileSystems',
        code: 'MissingField',
        message: '2 file system(s) in the response had neither FileSystemId nor FileSystemArn and could not be reported',
      },
    ]);
  });

  it('an empty answer is an empty Region, not an error', async () => {
    efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [] });
    expect(await efsCheck.run(checkContext())).toEqual({ resources: [], errors: [] });
    efs.on(DescribeFileSystemsCommand).resolves({});
    expect(await efsCheck.run(checkContext())).toEqual({ resources: [], errors: [] });
  });
});
