import { CALLER_APIS } from './core-apis.js';

/**
 * The calls made by the principal that runs atrest (the base credentials)
 * rather than by the principal that reads an account. They are allowed by
 * iam/atrest-assume-role-policy.json, attached to that base principal; every
 * other call is allowed by iam/atrest-readonly-policy.json, attached to the
 * role atrest assumes in each account (or to the caller, for its own account).
 * The read-only contract test (test/contract/read-only.test.ts) and the run-time
 * guard (test/setup/read-only-guard.ts) check both against the source.
 */
export const CALLER_ACTIONS: ReadonlySet<string> = new Set(CALLER_APIS.flatMap((api) => Object.values(api.operations)));

/**
 * The only calls atrest sends that are not List, Describe or Get, and why
 * each is still read-only in effect. Nothing else may be added without the
 * same argument.
 */
export const NOT_READ_ONLY_EXCEPTIONS: Readonly<Record<string, string>> = {
  'sts:AssumeRole':
    'exchanges the base credentials for temporary credentials of a role the customer created for atrest in another account; it reads no resource and changes none (CloudTrail records the session). https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
};
