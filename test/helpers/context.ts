import { ClientFactory } from '../../src/aws/clients.js';
import { KeyResolver } from '../../src/checks/key-resolver.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { ServiceName } from '../../src/model/services.js';

/** The fictitious account every fixture belongs to. Never a real account id. */
export const ACCOUNT = '111122223333';
/** Another fictitious account, for cross-account keys. */
export const OTHER_ACCOUNT = '444455556666';

/**
 * A check context wired to static test credentials (aws-sdk-client-mock
 * intercepts every send, so nothing leaves the process) and a fresh resolver.
 * maxAttempts 3 lets throttling tests see a retry without long waits.
 */
export function checkContext(overrides: Partial<CheckContext> & { services?: ServiceName[] } = {}): CheckContext {
  const clients = new ClientFactory({ credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 3 });
  const keys = new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' });
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    region: 'us-east-1',
    regions: ['us-east-1'],
    services: ['s3', 'ebs', 'rds', 'aurora', 'dynamodb', 'lambda', 'redshift', 'kms'],
    clients,
    keys,
    concurrency: 4,
    log: () => {},
    ...overrides,
  };
}
