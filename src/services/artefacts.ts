import { parseDocument, type Node } from 'yaml';
import { allIamActions, callerIamActions } from '../aws/iam-actions.js';
import { SERVICES } from './list.js';

/**
 * The committed files that repeat what the service descriptors say, and what
 * each must contain: the `service` enums of the JSON schemas, the per-service
 * settings of the policy schema, and the least-privilege IAM policy.
 * `npm run generate` (scripts/generate.mjs) writes them;
 * test/services/generated-artefacts.test.ts fails when a committed file
 * differs from what this computes, so they cannot drift from the descriptors.
 *
 * Only the generated parts of a schema are rewritten (located with the yaml
 * parser, which reads JSON with source ranges); the rest of the file is kept
 * byte for byte.
 */

/** Reads a file of the repository by its path from the root. */
export type ReadFile = (path: string) => string;

export const IAM_POLICY_FILE = 'iam/atrest-readonly-policy.json';

/** The least-privilege policy: every action the descriptors (and the core APIs) declare, nothing else. */
export function iamPolicyText(): string {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AtrestReadOnly', Effect: 'Allow', Action: allIamActions(), Resource: '*' }],
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

export const CALLER_POLICY_FILE = 'iam/atrest-assume-role-policy.json';

/**
 * The policy of the principal that runs atrest against other accounts
 * (src/aws/core-apis.ts CALLER_APIS): AssumeRole into the scan role of each
 * account — named here as atrest-readonly, the name docs/accounts.md
 * suggests; change the ARN to yours — and ListAccounts for --org-role.
 */
export function callerPolicyText(): string {
  const actions = callerIamActions();
  const statements = [
    { Sid: 'AtrestAssumeScanRoles', Effect: 'Allow', Action: actions.filter((a) => a.startsWith('sts:')), Resource: 'arn:aws:iam::*:role/atrest-readonly' },
    { Sid: 'AtrestListOrganizationAccounts', Effect: 'Allow', Action: actions.filter((a) => !a.startsWith('sts:')), Resource: '*' },
  ].filter((s) => s.Action.length > 0);
  return `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2)}\n`;
}

interface Patch {
  file: string;
  path: string[];
  render: (indent: string) => string;
}

const enumOfServices = (): string => `[${SERVICES.map((s) => JSON.stringify(s)).join(', ')}]`;

const PATCHES: readonly Patch[] = [
  { file: 'schema/inventory.schema.json', path: ['definitions', 'service', 'enum'], render: enumOfServices },
  { file: 'schema/policy.schema.json', path: ['definitions', 'service', 'enum'], render: enumOfServices },
  {
    file: 'schema/policy.schema.json',
    path: ['properties', 'services', 'properties'],
    render: (indent) =>
      `{\n${SERVICES.map((s) => `${indent}  ${JSON.stringify(s)}: { "$ref": "#/definitions/serviceSettings" }`).join(',\n')}\n${indent}}`,
  },
];

/** Replaces the value at `path` of a JSON text, keeping everything around it. */
function patchJson(text: string, file: string, path: string[], render: (indent: string) => string): string {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true) as Node | undefined;
  if (!node?.range) throw new Error(`${file}: no ${path.join('.')} to generate (the generator and the file disagree)`);
  const [start, end] = node.range;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  return text.slice(0, start) + render(indent) + text.slice(end);
}

/** Every generated file, by path, as it must be committed. */
export function expectedArtefacts(read: ReadFile): Record<string, string> {
  const out: Record<string, string> = { [IAM_POLICY_FILE]: iamPolicyText(), [CALLER_POLICY_FILE]: callerPolicyText() };
  for (const patch of PATCHES) {
    const text = out[patch.file] ?? read(patch.file);
    out[patch.file] = patchJson(text, patch.file, patch.path, patch.render);
  }
  return out;
}
