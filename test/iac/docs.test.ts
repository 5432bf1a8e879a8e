import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIacKnowledge } from '../../src/iac/kinds.js';
import { ROOT } from '../helpers/fixtures.js';

describe('docs/iac.md', () => {
  it('writes down every resource kind\'s defaults and documentation exactly as the mappings apply them', async () => {
    const doc = readFileSync(join(ROOT, 'docs/iac.md'), 'utf8');
    const { facts } = await loadIacKnowledge();
    expect(facts.length).toBeGreaterThan(15);
    for (const fact of facts) {
      expect(doc, fact.kind).toContain(fact.defaults);
      for (const url of fact.docs) expect(doc, `${fact.kind}: ${url}`).toContain(url);
    }
  });

  it('the README and docs/policy.md name the command and remediation.defaultKey', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('atrest iac');
    expect(readme).toContain('atrest fix');
    expect(readme).toContain('docs/iac.md');
    expect(readFileSync(join(ROOT, 'docs/policy.md'), 'utf8')).toContain('remediation.defaultKey');
  });
});
