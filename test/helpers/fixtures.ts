import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for tests that read fixtures or spawn the built CLI. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Loads an AWS response fixture (fixtures/aws/<service>/<name>.json). The SDK
 * turns timestamps into Date objects, so ISO timestamps in a fixture are
 * revived as Dates: checks see exactly the types a real response has.
 */
export function awsFixture<T = any>(relativePath: string): T {
  const text = readFileSync(join(ROOT, 'fixtures', 'aws', relativePath), 'utf8');
  return JSON.parse(text, (_key, value) => (typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value)) as T;
}

/** Reads any JSON file under the repository root, without reviving dates. */
export function readJson<T = any>(relativePath: string): T {
  return JSON.parse(readFileSync(join(ROOT, relativePath), 'utf8')) as T;
}

/** An SDK-shaped service error, as the SDK throws it after deserialising an error response. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  const error = new Error(message) as Error & { $metadata: object; $fault: string };
  error.name = name;
  error.$metadata = { httpStatusCode, requestId: '00000000-0000-0000-0000-000000000000', attempts: 1, totalRetryDelay: 0 };
  error.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return error;
}
