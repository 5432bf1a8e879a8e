import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArn } from '../../src/aws/arn.js';
import { RULES } from '../../src/engine/catalog.js';
import { REMEDIATION_PATHS } from '../../src/model/matrix.js';
import { PROTECTION_LEVELS } from '../../src/model/levels.js';
import { SERVICE_DESCRIPTORS, SERVICES } from '../../src/services/list.js';
import { ROOT, readJson } from '../helpers/fixtures.js';

/**
 * Every service is one folder with one descriptor; everything else is derived
 * from the list of descriptors. These tests fail when a descriptor is
 * incomplete or inconsistent, or when a list of services creeps back in
 * somewhere else.
 */
const pkg = readJson<{ dependencies: Record<string, string> }>('package.json');

describe('service descriptors', () => {
  it('one folder per service: every folder with a service.ts is in the list, and every listed service has its folder', () => {
    const folders = readdirSync(join(ROOT, 'src/services'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(ROOT, 'src/services', e.name, 'service.ts')))
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...SERVICES].sort());
  });

  for (const d of SERVICE_DESCRIPTORS) {
    describe(d.id, () => {
      it('its matrix row names it and is complete', () => {
        expect(d.matrix.service).toBe(d.id);
        expect(d.matrix.name).toMatch(/^(Amazon|AWS) /);
        expect(d.matrix.resourceTypes.length).toBeGreaterThan(0);
        expect(d.matrix.possibleLevels.every((l) => (PROTECTION_LEVELS as readonly string[]).includes(l))).toBe(true);
        expect(d.matrix.possibleLevels).toContain(d.matrix.defaultLevel);
        expect(Object.keys(REMEDIATION_PATHS)).toContain(d.matrix.remediationPath);
        expect(d.matrix.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        if (d.matrix.defaultSince !== null) expect(d.matrix.defaultSince).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      });

      it('its rules carry its prefix, and each has exactly one compliance entry', () => {
        expect(d.rules.length).toBeGreaterThan(0);
        for (const rule of d.rules) expect(rule.id.startsWith(`${d.id.toUpperCase()}.`), rule.id).toBe(true);
        expect(Object.keys(d.compliance).sort()).toEqual(d.rules.map((r) => r.id).sort());
      });

      it('declares the APIs its collector calls, with IAM actions of the API\'s prefix, from a package the project depends on', () => {
        expect(d.apis.length).toBeGreaterThan(0);
        for (const api of d.apis) {
          expect(pkg.dependencies, `package.json dependencies lack ${api.sdkPackage}`).toHaveProperty([api.sdkPackage]);
          expect(Object.keys(api.operations).length).toBeGreaterThan(0);
          for (const [operation, action] of Object.entries(api.operations)) {
            expect(action.startsWith(`${api.iamPrefix}:`), `${operation} -> ${action}`).toBe(true);
            expect(operation).toMatch(/^(List|Describe|Get)[A-Z]/);
          }
          // Actions IAM checks inside a declared operation's call (lambda:ListTags inside GetFunction).
          for (const [name, implied] of Object.entries(api.impliedActions ?? {})) {
            expect(implied.action, name).toBe(`${api.iamPrefix}:${name}`);
            expect(name).toMatch(/^(List|Describe|Get)[A-Z]/);
            expect(api.operations, `${name} rides on an undeclared operation`).toHaveProperty([implied.within]);
            expect(implied.why.length).toBeGreaterThan(20);
          }
        }
      });

      it('gives example ARNs of its own resources in every partition, a tag source and a doc page', () => {
        for (const partition of ['aws', 'aws-cn', 'aws-us-gov']) {
          const arns = d.exampleArns(partition);
          expect(arns.length).toBeGreaterThan(0);
          for (const arn of arns) expect(parseArn(arn)?.partition, arn).toBe(partition);
        }
        expect(d.tags.length).toBeGreaterThan(10);
        expect(existsSync(join(ROOT, d.docs)), `${d.docs} is missing`).toBe(true);
      });

      it('its collector loads and can run', async () => {
        const check = await d.collector.load();
        expect(typeof check.run).toBe('function');
        expect(['regional', 'account']).toContain(d.collector.scope);
      });
    });
  }

  it('the rule catalogue is exactly the descriptors\' rules and the shared ones, each id once', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of SERVICE_DESCRIPTORS) for (const rule of d.rules) expect(ids).toContain(rule.id);
  });
});

describe('no other list of services in the source', () => {
  // A literal that names three or more services is a hand-kept list: it goes
  // stale when a service is added. Derive it from src/services/list.ts instead.
  const names = new Set<string>(SERVICES);
  const literal = /\[([^\][]*)\]/g;

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  }

  it('finds none', () => {
    const offenders: string[] = [];
    for (const file of files(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(literal)) {
        const strings = [...match[1]!.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]!).filter((s) => names.has(s));
        if (new Set(strings).size >= 3) offenders.push(`${file.slice(ROOT.length + 1)}: [${match[1]!.trim().slice(0, 80)}]`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
