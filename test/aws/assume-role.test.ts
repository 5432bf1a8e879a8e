import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { assumeRoleProvider, REFRESH_MARGIN_MS } from '../../src/aws/assume-role.js';
import { awsError } from '../helpers/fixtures.js';
import { testClients } from '../helpers/context.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';

/** The assumed-role credentials provider: one AssumeRole, shared; a new one before the credentials expire. */
const sts = mockSdkClient(STSClient);
const ROLE = 'arn:aws:iam::444455556666:role/atrest-readonly';

function answer(n: number, expires: number) {
  return {
    Credentials: { AccessKeyId: `ASIA${n}`, SecretAccessKey: `s${n}`, SessionToken: `t${n}`, Expiration: new Date(expires) },
    AssumedRoleUser: { Arn: 'arn:aws:sts::444455556666:assumed-role/atrest-readonly/atrest', AssumedRoleId: 'AROAEXAMPLE:atrest' },
  };
}

describe('assumeRoleProvider', () => {
  it('passes the session name, external id and duration; shares one call; refreshes inside the margin only', async () => {
    let now = 1_000_000;
    let n = 0;
    sts.on(AssumeRoleCommand).callsFake(async () => answer(++n, now + 3_600_000));
    const provider = assumeRoleProvider({ base: testClients(), region: 'us-east-1', roleArn: ROLE, sessionName: 'audit-run', externalId: 'ext-123', durationSeconds: 3600, now: () => now });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(provider.calls).toBe(1);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({ RoleArn: ROLE, RoleSessionName: 'audit-run', ExternalId: 'ext-123', DurationSeconds: 3600 });
    expect(provider.principalArn).toBe('arn:aws:sts::444455556666:assumed-role/atrest-readonly/atrest');

    now += 3_600_000 - REFRESH_MARGIN_MS - 1; // just outside the margin: the same credentials
    expect((await provider()).accessKeyId).toBe('ASIA1');
    now += 2; // inside it: new ones, before the old ones expire
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(provider.calls).toBe(2);
  });

  it('a denied AssumeRole rejects with AWS\'s error, and the next call tries again', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(awsError('AccessDenied', `not authorized to perform: sts:AssumeRole on resource: ${ROLE}`, 403)).resolves(answer(1, Date.now() + 3_600_000));
    const provider = assumeRoleProvider({ base: testClients(), region: 'us-east-1', roleArn: ROLE, sessionName: 'atrest' });
    await expect(provider()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await provider()).accessKeyId).toBe('ASIA1');
  });
});
