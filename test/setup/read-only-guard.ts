import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { CALLER_ACTIONS, NOT_READ_ONLY_EXCEPTIONS } from '../../src/aws/caller-actions.js';
import { iamActionForApi } from '../../src/aws/iam-actions.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The read-only promise checked at run time, in every test file: each SDK
 * client the tool creates (all through ClientFactory) records the commands it
 * is asked to send, and after the file's tests each one must be a
 * List/Describe/Get operation allowed by iam/atrest-readonly-policy.json.
 * The source scan in test/contract/read-only.test.ts cannot see a command
 * built some other way; this sees what is actually sent.
 */
const IAM_PREFIX: Record<string, string> = {
  S3: 's3',
  KMS: 'kms',
  EC2: 'ec2',
  RDS: 'rds',
  DynamoDB: 'dynamodb',
  Lambda: 'lambda',
  Redshift: 'redshift',
  'Redshift Serverless': 'redshift-serverless',
  STS: 'sts',
  Organizations: 'organizations',
};

const readPolicy = (name: string) => JSON.parse(readFileSync(join(ROOT, 'iam', name), 'utf8')) as { Statement: Array<{ Effect: string; Action: string[] }> };
const allowedBy = (name: string) => new Set(readPolicy(name).Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
const allowed = allowedBy('atrest-readonly-policy.json');
/** The base principal's calls (AssumeRole, ListAccounts), in their own policy; AssumeRole is the one documented non-read call. */
const callerAllowed = allowedBy('atrest-assume-role-policy.json');
const violations = new Set<string>();
const originalGet = ClientFactory.prototype.get;

ClientFactory.prototype.get = function get<C>(this: ClientFactory, ...args: Parameters<ClientFactory['get']>): C {
  const client = originalGet.apply(this, args) as C & { send: (command: unknown, ...rest: unknown[]) => unknown; config: { serviceId?: string } };
  if (!Object.prototype.hasOwnProperty.call(client, 'send')) {
    // An own property shadows the class's send, which aws-sdk-client-mock may have stubbed: call through to it.
    Object.defineProperty(client, 'send', {
      configurable: true,
      value(command: { constructor: { name: string } }, ...rest: unknown[]) {
        const operation = command.constructor.name.replace(/Command$/, '');
        const prefix = IAM_PREFIX[client.config.serviceId ?? ''] ?? `unknown-service(${client.config.serviceId})`;
        const action = iamActionForApi(prefix, operation);
        const readOnly = /^(List|Describe|Get)[A-Z]/.test(operation) || action in NOT_READ_ONLY_EXCEPTIONS;
        const permitted = CALLER_ACTIONS.has(action) ? callerAllowed.has(action) : allowed.has(action);
        if (!readOnly || !permitted) violations.add(action);
        return Object.getPrototypeOf(client).send.call(client, command, ...rest);
      },
    });
  }
  return client;
};

afterAll(() => {
  expect([...violations], 'commands sent that are not read-only or not in iam/atrest-readonly-policy.json').toEqual([]);
});
