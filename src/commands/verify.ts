import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { Report } from '../model/report.js';
import { bodyDigest, evidencedJsonChunks } from '../engine/evidence.js';
import { readJsonFile } from '../util/json-file.js';

/**
 * `atrest verify REPORT`: recomputes the evidence digest of a JSON report
 * (docs/evidence.md) and checks that the file holds exactly the bytes atrest
 * writes for that content. Exit 0 when both hold, 1 when anything changed,
 * 2 when the file cannot be read or is not a report with evidence.
 */
export async function runVerify(file: string): Promise<number> {
  let data: unknown;
  try {
    data = readJsonFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    process.stdout.write(`${file}: NOT VERIFIED: not valid JSON any more (${(error as Error).message})\n`);
    return EXIT.FINDINGS;
  }
  const report = data as Report;
  if (!report || typeof report !== 'object' || !Array.isArray(report.findings)) throw new UsageError(`${file} is not an atrest JSON report`);
  const evidence = report.evidence;
  if (!evidence || typeof evidence.digest !== 'string') {
    throw new UsageError(`${file} has no evidence digest (reports written before atrest recorded evidence.digest cannot be verified)`);
  }
  if (evidence.algorithm !== 'sha256') throw new UsageError(`${file}: unsupported evidence algorithm "${String(evidence.algorithm)}" (expected sha256)`);
  const digest = bodyDigest(report);
  if (digest !== evidence.digest) {
    process.stdout.write(`${file}: NOT VERIFIED: the content changed (body digest ${digest}, evidence.digest says ${evidence.digest})\n`);
    return EXIT.FINDINGS;
  }
  // Same content: also the same bytes (whitespace, member order, escapes).
  const expected = createHash('sha256');
  for (const chunk of evidencedJsonChunks(report)) expected.update(chunk);
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (expected.digest('hex') !== actual) {
    process.stdout.write(`${file}: NOT VERIFIED: the content matches its digest, but the file's bytes are not as atrest wrote them (reformatted or re-encoded)\n`);
    return EXIT.FINDINGS;
  }
  process.stdout.write(`${file}: verified: sha256 ${digest} over the report body (${report.findings.length} findings, scan finished ${report.scan?.finishedAt}); integrity only, not authorship (docs/evidence.md)\n`);
  return EXIT.OK;
}
