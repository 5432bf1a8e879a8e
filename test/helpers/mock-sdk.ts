import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach } from 'vitest';

/**
 * aws-sdk-client-mock for the whole test file: every instance of the SDK
 * client class answers from the returned stub. After each test the stub's
 * answers and recorded calls are emptied (each test, or its beforeEach, says
 * what AWS answers); after the file's last test the real `send` is restored.
 *
 * Call it at the top level of the file. Files whose tests switch to the real
 * client mid-file (ScriptedClients, HTTP-level retries) create and restore
 * their stubs per test instead.
 */
export const mockSdkClient: typeof mockClient = (client) => {
  const stub = mockClient(client);
  afterEach(() => stub.reset());
  afterAll(() => stub.restore());
  return stub;
};
