import { randomUUID } from 'node:crypto';
import { GetFunctionCommand, LambdaClient, ListAliasesCommand, ListFunctionsCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { awsFixture } from '../../helpers/fixtures.js';

/** A value no code path could produce by chance: if it shows up in an output, a secret leaked. */
export function newCanary(): string {
  return `canary-${randomUUID()}-${randomUUID()}`;
}

/** Replaces every `__CANARY__` placeholder in a fixture (values and presigned URLs alike) with `canary`. */
export function withCanary<T>(value: T, canary: string): T {
  if (typeof value === 'string') return value.replaceAll('__CANARY__', canary) as T;
  if (Array.isArray(value)) return value.map((v) => withCanary(v, canary)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withCanary(v, canary)])) as T;
  }
  return value;
}

export const FUNCTIONS = ['checkout-api', 'billing-worker', 'thumbnailer', 'cron-cleanup'] as const;
export const FN_ARN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;

/** ListFunctions over two pages and GetFunction for each function, every secret-bearing field set to `canary`. */
export function mockFunctions(lambda: AwsClientStub<LambdaClient>, canary: string): void {
  const page1 = withCanary(awsFixture('lambda/list-functions-page-1.json'), canary);
  lambda.on(ListFunctionsCommand).resolves(page1);
  lambda.on(ListFunctionsCommand, { Marker: page1.NextMarker }).resolves(withCanary(awsFixture('lambda/list-functions-page-2.json'), canary));
  for (const name of FUNCTIONS) {
    lambda.on(GetFunctionCommand, { FunctionName: FN_ARN(name) }).resolves(withCanary(awsFixture(`lambda/get-function-${name}.json`), canary));
  }
  // billing-worker has published versions (two pages) and an alias; the others have none.
  lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [] });
  lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
  const versions1 = withCanary(awsFixture('lambda/list-versions-by-function-billing-worker-page-1.json'), canary);
  lambda.on(ListVersionsByFunctionCommand, { FunctionName: FN_ARN('billing-worker') }).resolves(versions1);
  lambda
    .on(ListVersionsByFunctionCommand, { FunctionName: FN_ARN('billing-worker'), Marker: versions1.NextMarker })
    .resolves(withCanary(awsFixture('lambda/list-versions-by-function-billing-worker-page-2.json'), canary));
  lambda.on(ListAliasesCommand, { FunctionName: FN_ARN('billing-worker') }).resolves(awsFixture('lambda/list-aliases-billing-worker.json'));
}
