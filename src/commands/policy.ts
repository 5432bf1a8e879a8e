import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { checkPolicyFile, DEFAULT_POLICY_FILE } from '../policy/policy-file.js';

/** `atrest policy init [FILE]` and `atrest policy check FILE`. Never touch AWS. */

export const STARTER_POLICY = `# atrest policy: what encryption at rest this organisation demands.
# Reference: docs/policy.md (every field, with examples); JSON Schema: schema/policy.schema.json
# Validate without scanning:  atrest policy check ${DEFAULT_POLICY_FILE}
# atrest uses ./${DEFAULT_POLICY_FILE} automatically when you do not pass --policy.

# Start from a built-in policy (baseline or strict) or another policy file (path relative to this one).
extends: baseline

name: my-organisation
description: everything encrypted at rest; data tagged restricted uses customer managed keys

# Minimum protection level for every service not listed under services:
#   none < aws-owned < aws-managed < customer-managed < customer-managed-imported < customer-managed-hsm
minimumLevel: aws-owned

# Severity of a failure for a resource that is encrypted, but below its minimum level
# (unencrypted is always high). baseline: medium; strict: high. --fail-on defaults to high.
# levelFailureSeverity: high

# Customer managed keys that can rotate must rotate, at least this often (KMS allows 90 to 2560 days).
rotation:
  required: true
  maxPeriodDays: 365

services:
  rds:
    minimumLevel: aws-managed
  # ebs:
  #   types:
  #     snapshot:
  #       minimumLevel: customer-managed
  # s3:
  #   # Key ARNs, key ids, alias names or alias ARNs (globs allowed).
  #   allowedKeys: [alias/app-data]
  #   # Keys that protect S3 data must rotate at least every 180 days.
  #   rotation: { maxPeriodDays: 180 }

# Tried in order: the first override whose tags all match a resource decides its requirement.
tagOverrides:
  - name: restricted-data
    tags:
      data-classification: restricted
    minimumLevel: customer-managed

# Change the severity of a rule, or turn it off (give the reason: the JSON report records it).
rules:
  S3.BUCKET_KEY:
    severity: low
  # S3.SSE_C_BLOCKED:
  #   enabled: false
  #   reason: the legacy uploader still writes with SSE-C (ticket SEC-42)

# Limit what is evaluated.
# scope:
#   regions: [us-east-1, eu-west-1]
#   exclude: ["arn:aws:s3:::*-scratch"]

# Accountable, expiring exceptions. Expiry is judged against the scan's end time.
# rule "*" covers every rule but SCAN.INCOMPLETE: what could not be read is only waived by name.
waivers: []
#  - rule: S3.ENCRYPTION_LEVEL
#    resource: "arn:aws:s3:::legacy-logs"
#    reason: bucket is being decommissioned (CHG-1234)
#    owner: platform-team@example.com
#    expires: 2027-03-31
`;

export async function runPolicyInit(file: string | undefined): Promise<number> {
  const target = file ?? DEFAULT_POLICY_FILE;
  try {
    // 'wx': fail if the file exists. atrest never overwrites a policy.
    writeFileSync(resolve(target), STARTER_POLICY, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${target} already exists; atrest never overwrites a policy file (choose another name, or edit it)`);
    throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
  }
  process.stdout.write(`wrote ${target}: a starter policy. Edit it, then run: atrest policy check ${target}\n`);
  return EXIT.OK;
}

/**
 * Exit 0 for a valid policy, 2 (PolicyFileError) for an invalid one. What is
 * valid but probably not meant (a waiver for every resource, a secret-name
 * list that drops built-in patterns) is printed on stderr as
 * `FILE:LINE:COL: warning: …` and does not change the exit code.
 */
export async function runPolicyCheck(file: string): Promise<number> {
  const { policy, warnings } = checkPolicyFile(file);
  for (const w of warnings) process.stderr.write(`${w.file}:${w.line}:${w.col}: warning: ${w.message}\n`);
  const parts = [
    `${(policy.tagOverrides ?? []).length} tag override(s)`,
    `${(policy.waivers ?? []).length} waiver(s)`,
    `${policy.disabledRules.length} disabled rule(s)`,
    `${Object.keys(policy.severity).length} severity override(s)`,
  ];
  const warned = warnings.length > 0 ? ` ${warnings.length} warning(s) on stderr.` : '';
  process.stdout.write(`${file}: valid. Policy "${policy.name}" (${(policy.sources ?? []).join(' → ')}): ${parts.join(', ')}.${warned}\n`);
  return EXIT.OK;
}
