import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { TimedHandler } from '../../src/aws/timed-handler.js';
import { CALLER_ACTIONS, NOT_READ_ONLY_EXCEPTIONS } from '../../src/aws/caller-actions.js';
import { declaredAction, everyApi } from '../../src/aws/iam-actions.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The read-only promise checked at run time, in every test file: each SDK
 * client the tool creates (all through ClientFactory) records the commands it
 * is asked to send, and after the file's tests each one must be a
 * List/Describe/Get operation allowed by iam/atrest-readonly-policy.json.
 * The source scan in test/contract/read-only.test.ts cannot see a command
 * built some other way; this sees what is actually sent.
 */
// A client is recognised by its config.serviceId, which each service
// descriptor's `apis` declare with the client's IAM prefix (src/aws/iam-actions.ts).

const allowedBy = (name: string) =>
  new Set((JSON.parse(readFileSync(join(ROOT, 'iam', name), 'utf8')) as { Statement: Array<{ Effect: string; Action: string[] }> }).Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
const allowed = allowedBy('atrest-readonly-policy.json');
/** The base principal's calls (AssumeRole, ListAccounts) are in their own policy; AssumeRole is the one documented non-read call (src/aws/caller-actions.ts). */
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
        // The action IAM knows for the operation: the declared one, else the plain name (then it is not in the policy, and fails).
        const api = everyApi().find((a) => a.serviceId === client.config.serviceId);
        const declared = declaredAction((a) => a.serviceId === client.config.serviceId, operation);
        const action = declared ?? (api ? `${api.iamPrefix}:${operation}` : `unknown-service(${client.config.serviceId}):${operation}`);
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

// Nothing leaves the machine: every request that reaches the real HTTP
// layer (a client neither aws-sdk-client-mock nor ScriptedClients answers)
// must go to loopback. Anything else fails at once, by name, instead of
// trying AWS — and the host is listed after the file's tests.
const offLoopback = new Set<string>();
const originalHandle = TimedHandler.prototype.handle;
TimedHandler.prototype.handle = function handle(this: TimedHandler, request: unknown, options?: { abortSignal?: AbortSignal }) {
  const hostname = String((request as { hostname?: unknown }).hostname ?? '');
  if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '::1') {
    offLoopback.add(hostname);
    return Promise.reject(Object.assign(new Error(`test tried to reach ${hostname}: mock the client or use a loopback server`), { name: 'NotLoopback' }));
  }
  return originalHandle.call(this, request, options);
};

afterAll(() => {
  expect([...offLoopback], 'requests a test tried to send off this machine (mock the client, e.g. the Tagging API)').toEqual([]);
});
