// Writes the files that repeat what the service descriptors say: the service
// enums and per-service settings of schema/*.json, and
// iam/atrest-readonly-policy.json. Run through `npm run generate` (it builds
// first: this imports the compiled descriptors from dist/).
// test/services/generated-artefacts.test.ts fails when a committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectedArtefacts } from '../dist/services/artefacts.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = expectedArtefacts((path) => readFileSync(root + path, 'utf8'));
for (const [path, text] of Object.entries(files)) {
  const before = readFileSync(root + path, 'utf8');
  if (before === text) continue;
  writeFileSync(root + path, text);
  console.log(`generated ${path}`);
}
