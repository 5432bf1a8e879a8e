import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseShard } from '../../src/collect/units.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * docs/scale.md shows two runners for shards; both are parsed here with a real
 * YAML parser and checked: N shards that each pass --shard K/N (every K
 * once), the runner's identity for credentials (no keys, no secrets), an
 * artefact per shard and a merge that reads them all.
 */
const text = readFileSync(join(ROOT, 'docs/scale.md'), 'utf8');
const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const parsed = blocks.map((b) => parseAllDocuments(b).map((d) => {
  expect(d.errors, d.errors.join('\n')).toEqual([]);
  return d.toJS() as Record<string, any>;
}));

function noStoredCredentials(source: string): void {
  expect(source).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|secrets\./i);
}

describe('docs/scale.md', () => {
  it('has the two runner files', () => {
    expect(parsed).toHaveLength(2);
  });

  it('GitHub Actions: a matrix of N shards, each --shard K/N with OIDC credentials, an artefact each, and a merge job that needs them', () => {
    const [workflow] = parsed[0]!;
    noStoredCredentials(blocks[0]!);
    expect(workflow!.permissions['id-token']).toBe('write');
    const scan = workflow!.jobs.scan;
    const shards: number[] = scan.strategy.matrix.shard;
    const steps: Array<Record<string, any>> = scan.steps;
    const run: string = steps.find((s) => typeof s.run === 'string' && s.run.includes('atrest collect'))!.run;
    const n = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(run)![1]);
    expect(shards).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    for (const k of shards) expect(parseShard(`${k}/${n}`)).toEqual({ index: k, count: n });
    expect(steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'))!.with['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!;
    expect(upload.with.name).toBe('shard-${{ matrix.shard }}');
    const merge = workflow!.jobs.merge;
    expect(merge.needs).toBe('scan');
    const download = merge.steps.find((s: Record<string, any>) => String(s.uses).startsWith('actions/download-artifact'));
    expect(download.with).toMatchObject({ pattern: 'shard-*', 'merge-multiple': true });
    expect(merge.steps.some((s: Record<string, any>) => typeof s.run === 'string' && /atrest merge shard-\*\.json/.test(s.run))).toBe(true);
  });

  it('Kubernetes: an Indexed Job of N completions mapping JOB_COMPLETION_INDEX to --shard, a service account identity, and a merge Job', () => {
    const docs = parsed[1]!;
    noStoredCredentials(blocks[1]!);
    const account = docs.find((d) => d.kind === 'ServiceAccount')!;
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const [shards, merge] = docs.filter((d) => d.kind === 'Job');
    expect(shards!.spec.completionMode).toBe('Indexed');
    const n: number = shards!.spec.completions;
    const pod = shards!.spec.template.spec;
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    const container = pod.containers[0];
    expect(container.env.find((e: { name: string }) => e.name === 'SHARDS').value).toBe(String(n));
    const script: string = container.args.join(' ');
    expect(script).toContain('--shard $((JOB_COMPLETION_INDEX + 1))/$SHARDS');
    // Each index 0..n-1 becomes a valid, distinct shard 1..n.
    const ks = Array.from({ length: n }, (_, index) => parseShard(`${index + 1}/${n}`).index);
    expect(new Set(ks).size).toBe(n);
    expect(merge!.spec.template.spec.containers[0].args.join(' ')).toMatch(/atrest merge \/results\/shards /);
  });
});
