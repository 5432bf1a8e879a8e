import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicyFile, loadPolicyFile } from '../../../src/policy/policy-file.js';
import { evaluate } from '../../../src/engine/engine.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretPatternCovers } from '../../../src/services/lambda/secret-names.js';
import { inventory, key, resource } from '../../helpers/inventory.js';

/** secretNamePatterns replaces the built-in list; extendSecretNamePatterns adds to it; policy check warns when a replacement drops built-ins. */

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrest-secret-names-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const awsLambda = key('aaaa', { manager: 'AWS', aliases: ['alias/aws/lambda'] });
const fn = resource('lambda', 'function', 'f', {
  key: awsLambda,
  attributes: { hasEnvironmentVariables: true, environmentVariableNames: ['GITHUB_TOKEN', 'DB_PASSWORD', 'PIN_CODE', 'LOG_LEVEL'] },
});

/** The variables LAMBDA.ENV_SECRETS names under the policy file, comma separated. */
function secretsNamedBy(file: string, dir: string): string {
  const policy = loadPolicyFile(file, dir);
  const finding = evaluate(inventory({ keys: [awsLambda], resources: [fn] }), policy, { failOn: 'high' }).findings.find((f) => f.ruleId === 'LAMBDA.ENV_SECRETS')!;
  return [...finding.message.matchAll(/([A-Z_]+) \(name\)/g)].map((m) => m[1]).join(', ');
}

describe('extendSecretNamePatterns', () => {
  it('adds to the built-in list instead of replacing it', () => {
    const dir = dirWith({ 'p.yaml': 'extendSecretNamePatterns: [PIN, "*_CODE"]\n' });
    const policy = loadPolicyFile('p.yaml', dir);
    expect(policy.secretNamePatterns).toEqual([...DEFAULT_SECRET_NAME_PATTERNS, 'PIN', '*_CODE']);
    expect(secretsNamedBy('p.yaml', dir)).toBe('DB_PASSWORD, GITHUB_TOKEN, PIN_CODE');
    expect(checkPolicyFile('p.yaml', dir).warnings).toEqual([]);
  });

  it('adds to the list the file would otherwise use: its own secretNamePatterns, else the extended policy\'s (no duplicates)', () => {
    const dir = dirWith({
      'parent.yaml': 'secretNamePatterns: [PASSWORD]\n',
      'child.yaml': 'extends: ./parent.yaml\nextendSecretNamePatterns: [pin, password]\n',
      'both.yaml': 'secretNamePatterns: [SECRET]\nextendSecretNamePatterns: [PIN]\n',
    });
    expect(loadPolicyFile('child.yaml', dir).secretNamePatterns).toEqual(['PASSWORD', 'pin']);
    expect(loadPolicyFile('both.yaml', dir).secretNamePatterns).toEqual(['SECRET', 'PIN']);
  });

  it('the documented replacing example now catches tokens', () => {
    const dir = dirWith({ 'p.yaml': 'secretNamePatterns: [PASSWORD, SECRET, "*_TOKEN"]\n' });
    expect(secretsNamedBy('p.yaml', dir)).toBe('DB_PASSWORD, GITHUB_TOKEN');
  });
});

describe('policy check warns when secretNamePatterns drops built-in patterns', () => {
  const warnings = (text: string) => checkPolicyFile('p.yaml', dirWith({ 'p.yaml': text })).warnings.map((w) => `${w.file}:${w.line}:${w.col}: ${w.message}`);

  it('names what the replacement no longer catches and points to extendSecretNamePatterns', () => {
    expect(warnings('secretNamePatterns: [PASSWORD, SECRET, "*_TOKEN"]\n')).toEqual([
      'p.yaml:1:21: secretNamePatterns replaces the built-in list, and this one no longer catches PASSWD, PASSPHRASE, TOKEN, API_KEY, APIKEY, PRIVATE_KEY, PRIVATEKEY, CREDENTIAL, ACCESS_KEY, ACCESSKEY, SIGNING_KEY, ENCRYPTION_KEY, CONNECTION_STRING, DATABASE_URL (expected extendSecretNamePatterns to add names to the built-in list, or every built-in pattern you mean to keep)',
    ]);
  });

  it('an empty list is a warning that the check is off', () => {
    expect(warnings('secretNamePatterns: []\n')).toEqual([
      'p.yaml:1:21: an empty secretNamePatterns turns the secret-looking name check off (expected extendSecretNamePatterns to add names to the built-in list)',
    ]);
  });

  it('no warning when every built-in is still caught: itself, a shorter substring, or a glob that covers it', () => {
    const all = DEFAULT_SECRET_NAME_PATTERNS.map((p) => `"${p}"`).join(', ');
    expect(warnings(`secretNamePatterns: [${all}, PIN]\n`)).toEqual([]);
    expect(warnings(`secretNamePatterns: [PASS, "*TOKEN*", ${DEFAULT_SECRET_NAME_PATTERNS.filter((p) => !p.startsWith('PASS') && p !== 'TOKEN').map((p) => `"${p.toLowerCase()}"`).join(', ')}]\n`)).toEqual([]);
  });

  it('coverage: substrings and globs against a built-in', () => {
    expect(secretPatternCovers('PASS', 'PASSWORD')).toBe(true);
    expect(secretPatternCovers('*token*', 'TOKEN')).toBe(true);
    expect(secretPatternCovers('*_TOKEN', 'TOKEN')).toBe(false); // TOKEN_URL is caught by TOKEN, not by *_TOKEN
    expect(secretPatternCovers('PASSWORDS', 'PASSWORD')).toBe(false);
  });
});
