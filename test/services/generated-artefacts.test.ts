import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLER_POLICY_FILE, expectedArtefacts, iamPolicyText, IAM_POLICY_FILE } from '../../src/services/artefacts.js';
import { SERVICES } from '../../src/services/list.js';
import { ROOT } from '../helpers/fixtures.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('files generated from the service descriptors (npm run generate)', () => {
  const expected = expectedArtefacts(read);

  it('are committed as the generator writes them', () => {
    for (const [path, text] of Object.entries(expected)) {
      expect(read(path), `${path} is stale: run npm run generate`).toBe(text);
    }
  });

  it('cover the IAM policy and both schemas that name the services', () => {
    expect(Object.keys(expected).sort()).toEqual([CALLER_POLICY_FILE, IAM_POLICY_FILE, 'schema/inventory.schema.json', 'schema/policy.schema.json']);
    const inventory = JSON.parse(expected['schema/inventory.schema.json']!) as { definitions: { service: { enum: string[] } } };
    expect(inventory.definitions.service.enum).toEqual([...SERVICES]);
    const policy = JSON.parse(expected['schema/policy.schema.json']!) as { properties: { services: { properties: Record<string, unknown> } } };
    expect(Object.keys(policy.properties.services.properties)).toEqual([...SERVICES]);
  });

  it('notice a stale file: a schema that lacks a service, or a policy with an extra action, is rewritten', () => {
    const stale = read('schema/inventory.schema.json').replace('"kms"', '"kmz"');
    expect(expectedArtefacts((p) => (p === 'schema/inventory.schema.json' ? stale : read(p)))['schema/inventory.schema.json']).toBe(read('schema/inventory.schema.json'));
    expect(iamPolicyText()).not.toContain('s3:PutObject');
    expect(JSON.parse(iamPolicyText()).Statement[0].Action).toContain('s3:ListAllMyBuckets');
  });
});
