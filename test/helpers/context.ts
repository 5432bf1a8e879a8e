import { ClientFactory, type AwsAccessOptions } from '../../src/aws/clients.js';
import { KeyResolver } from '../../src/keys/resolver.js';
import { TagIndex } from '../../src/collect/tag-index.js';
import type { CheckContext } from '../../src/collect/check.js';
import type { ServiceName } from '../../src/model/services.js';
import { SERVICES } from '../../src/services/list.js';

/** The fictitious account every fixture belongs to. Never a real account id. */
export const ACCOUNT = '111122223333';
/** Another fictitious account, for cross-account keys. */
export const OTHER_ACCOUNT = '444455556666';

/**
 * What every test's client factory is built with: static fake credentials, so
 * the SDK never looks for real ones, and 3 attempts per call. The attempts
 * only matter where the SDK's own retry runs (ScriptedClients, a local HTTP
 * server); aws-sdk-client-mock replaces `send`, so under it nothing retries.
 */
export const TEST_ACCESS: AwsAccessOptions = { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 3 };

/** A client factory with TEST_ACCESS. */
export function testClients(): ClientFactory {
  return new ClientFactory(TEST_ACCESS);
}

/**
 * A check context on testClients() (aws-sdk-client-mock or ScriptedClients
 * answer every call, so nothing leaves the process) and a fresh resolver.
 */
export function checkContext(overrides: Partial<CheckContext> & { services?: ServiceName[] } = {}): CheckContext {
  const clients = overrides.clients ?? testClients();
  const keys = new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' });
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    region: 'us-east-1',
    regions: ['us-east-1'],
    services: [...SERVICES],
    clients,
    keys,
    tags: new TagIndex({ clients }),
    concurrency: 4,
    fanOut: 8,
    log: () => {},
    ...overrides,
  };
}
