import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseArn } from './arn.js';
import type { ClientFactory } from './clients.js';
import { describeAwsError, isCredentialError } from './errors.js';
import { UsageError } from '../errors.js';

export interface CallerIdentity {
  accountId: string;
  principalArn: string;
  partition: string;
}

/** Who is scanning, from STS GetCallerIdentity: the account id and principal recorded in the report. */
export async function getCallerIdentity(clients: ClientFactory, region: string): Promise<CallerIdentity> {
  try {
    // Two attempts only: an unknown region fails DNS (ENOTFOUND), which the SDK
    // would otherwise retry with back-off for the whole --max-attempts budget.
    const out = await clients.get(STSClient, region, { maxAttempts: 2 }).send(new GetCallerIdentityCommand({}));
    const principalArn = out.Arn ?? '';
    const accountId = out.Account ?? parseArn(principalArn)?.accountId ?? '';
    if (!/^\d{12}$/.test(accountId)) {
      throw new UsageError(`sts:GetCallerIdentity returned no usable account id (got "${accountId}"); check --endpoint-url and credentials`);
    }
    return { accountId, principalArn, partition: parseArn(principalArn)?.partition ?? 'aws' };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const info = describeAwsError(error);
    if (isCredentialError(error)) {
      const profile = clients.profile;
      const hint = profile
        ? `profile "${profile}" gave none: check its keys, role or sso settings, and run "aws sso login --profile ${profile}" for SSO`
        : 'set AWS_PROFILE or pass --profile, run "aws sso login" for SSO profiles, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY';
      throw new UsageError(`no usable AWS credentials (${info.code}: ${info.message}); ${hint}`, { cause: error });
    }
    if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(info.message) || info.code === 'ENOTFOUND') {
      throw new UsageError(`cannot reach the STS endpoint for region ${region} (${info.message}); does the region exist, and is --endpoint-url right?`, { cause: error });
    }
    throw new UsageError(`sts:GetCallerIdentity failed in ${region}: ${info.code}: ${info.message}`, { cause: error });
  }
}
