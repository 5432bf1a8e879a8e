import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientFactory } from './clients.js';

/**
 * Credentials for another account through sts:AssumeRole, called with the
 * base credentials. AssumeRole is the one call atrest sends that is not a
 * List, Describe or Get: it reads nothing and changes nothing, it only
 * exchanges the caller's credentials for the role's temporary ones (see
 * test/contract/read-only.test.ts and iam/atrest-assume-role-policy.json).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 *
 * The provider is shared by every client of the account. It asks for new
 * credentials when the current ones have less than REFRESH_MARGIN_MS left,
 * so a scan longer than the session duration never signs with expired
 * credentials. The SDK itself asks its provider again 5 minutes before
 * expiry (@smithy/core EXPIRATION_MS), so the margin is at least that.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** AssumeRole's own default; the role's MaximumSessionDuration caps it (up to 12 hours). */
export const DEFAULT_SESSION_SECONDS = 3600;
export const DEFAULT_SESSION_NAME = 'atrest';

export interface AssumeRoleOptions {
  /** The base credentials' factory: AssumeRole goes through its STS client. */
  base: ClientFactory;
  region: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  log?: (message: string) => void;
  /** Injected by tests. */
  now?: () => number;
}

export interface AssumedRoleProvider extends AwsCredentialIdentityProvider {
  /** AssumeRole calls made so far (the first, and each refresh). */
  readonly calls: number;
  /** The assumed-role session's ARN (AssumedRoleUser.Arn), once assumed: the principal that reads the account. */
  readonly principalArn: string | undefined;
}

export function assumeRoleProvider(options: AssumeRoleOptions): AssumedRoleProvider {
  const now = options.now ?? Date.now;
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let calls = 0;
  let principalArn: string | undefined;

  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - now() > REFRESH_MARGIN_MS);

  const assume = async (): Promise<AwsCredentialIdentity> => {
    calls += 1;
    options.log?.(`sts AssumeRole ${options.roleArn}${calls > 1 ? ' (refresh)' : ''}`);
    const out = await options.base.get(STSClient, options.region, { maxAttempts: 3 }).send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
        ...(options.durationSeconds ? { DurationSeconds: options.durationSeconds } : {}),
      }),
    );
    principalArn = out.AssumedRoleUser?.Arn ?? principalArn;
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw Object.assign(new Error('AssumeRole returned no credentials'), { name: 'MissingCredentials' });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  };

  const provider = (async () => {
    if (fresh(current)) return current;
    pending ??= assume().then(
      (c) => {
        current = c;
        pending = undefined;
        return c;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  }) as AssumedRoleProvider;
  Object.defineProperty(provider, 'calls', { get: () => calls });
  Object.defineProperty(provider, 'principalArn', { get: () => principalArn });
  return provider;
}
