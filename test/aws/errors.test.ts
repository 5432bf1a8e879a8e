import { describe, expect, it } from 'vitest';
import { describeAwsError } from '../../src/aws/errors.js';
import { kmsCheck } from '../../src/services/kms/check.js';
import { awsError } from '../helpers/fixtures.js';
import { ScriptedClients, kmsError, scriptedContext } from '../helpers/http.js';

/**
 * describeAwsError turns whatever a call threw into the {code, message} a
 * ScanError and resource.error carry. The shapes below are what the SDK
 * really throws (captured from the clients against scripted HTTP replies).
 */

describe('describeAwsError', () => {
  it('a modelled service error: its name is the code', () => {
    expect(describeAwsError(awsError('AccessDeniedException', 'User is not authorized to perform: kms:ListKeys'))).toEqual({
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: kms:ListKeys',
      httpStatus: 400,
    });
  });

  it('an S3 error carries Code as well as name', () => {
    const e = Object.assign(awsError('AccessDenied', 'Access Denied', 403), { Code: 'AccessDenied', RequestId: 'X', HostId: 'Y' });
    expect(describeAwsError(e)).toEqual({ code: 'AccessDenied', message: 'Access Denied', httpStatus: 403 });
  });

  it('an HTTP 500 without an error code (S3 client: name Unknown, message UnknownError) is HTTP500', () => {
    const info = describeAwsError(awsError('Unknown', 'UnknownError', 500));
    expect(info.code).toBe('HTTP500');
    expect(info.httpStatus).toBe(500);
    expect(info.message).toMatch(/HTTP status 500/);
  });

  it('a connection failure keeps its system code (ECONNREFUSED), not "Error"', () => {
    // What the SDK rethrows when nothing listens at --endpoint-url.
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      $metadata: { attempts: 1, totalRetryDelay: 0 },
    });
    expect(describeAwsError(e)).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4566', httpStatus: null });
  });

  it('a body that is not JSON on an HTTP 500 (emulator) is HTTP500, not SyntaxError', () => {
    const e = Object.assign(
      new SyntaxError(
        'Unexpected token \'I\', "Internal S"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
      ),
      { $metadata: { httpStatusCode: 500, attempts: 1, totalRetryDelay: 0 } },
    );
    const info = describeAwsError(e);
    expect(info.code).toBe('HTTP500');
    expect(info.message).toMatch(/HTTP status 500/);
    expect(info.message).toMatch(/not valid JSON/);
    expect(info.message).not.toMatch(/hidden field/);
  });

  it('a plain programming error keeps its name', () => {
    expect(describeAwsError(new TypeError("Cannot read properties of undefined (reading 'KeyMetadata')")).code).toBe('TypeError');
  });

  it('anything thrown is described on one line', () => {
    expect(describeAwsError('boom\nagain')).toEqual({ code: 'Error', message: 'boom again', httpStatus: null });
    expect(describeAwsError(undefined)).toEqual({ code: 'Error', message: 'undefined', httpStatus: null });
    expect(describeAwsError({})).toMatchObject({ code: 'Error' });
  });
});

describe('errors from the real SDK client', () => {
  function kmsWith(reply: Parameters<typeof kmsError> | { status: number; headers?: Record<string, string>; body: string }) {
    const clients = new ScriptedClients(() => (Array.isArray(reply) ? kmsError(...reply) : reply));
    return { clients, ctx: scriptedContext(clients) };
  }

  it('an emulator answering ListKeys with a plain-text 500: ScanError code HTTP500, after the SDK retried', async () => {
    const { clients, ctx } = kmsWith({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' });
    const result = await kmsCheck.run(ctx);
    clients.destroy();
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'ListKeys', code: 'HTTP500' })]);
    // A 500 is transient: retried up to maxAttempts (3) before it is recorded.
    expect(clients.calls('ListKeys')).toHaveLength(3);
  });

  it('AccessDeniedException from KMS keeps its code and message', async () => {
    const { clients, ctx } = kmsWith(['AccessDeniedException', 'User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:ListKeys']);
    const result = await kmsCheck.run(ctx);
    clients.destroy();
    expect(result.errors).toEqual([
      expect.objectContaining({ operation: 'ListKeys', code: 'AccessDeniedException', message: expect.stringContaining('kms:ListKeys') }),
    ]);
    expect(clients.calls('ListKeys')).toHaveLength(1); // not retried
  });
});
