import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
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
  const actual = fileDigest(file);
  if (expected.digest('hex') !== actual) {
    process.stdout.write(`${file}: NOT VERIFIED: the content matches its digest, but the file's bytes are not as atrest wrote them (reformatted or re-encoded)\n`);
    return EXIT.FINDINGS;
  }
  process.stdout.write(`${file}: verified: sha256 ${digest} over the report body (${report.findings.length} findings, scan finished ${report.scan?.finishedAt}); integrity only, not authorship (docs/evidence.md)\n`);
  return EXIT.OK;
}

/**
 * The SHA-256 of a file read 8 MiB at a time: a report of millions of
 * resources is larger than the longest Buffer Node can allocate, and the
 * parsed report is already in memory beside it.
 */
function fileDigest(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
