import { createHash } from 'node:crypto';
import type { Report, ReportEvidence } from '../model/report.js';
import type { Policy } from '../model/policy.js';
import { canonicalDigest } from '../util/canonical.js';
import { jsonChunks } from '../report/json-stream.js';

/**
 * Evidence that can be checked (docs/evidence.md). The JSON report's last
 * member, `evidence`, holds the SHA-256 of the report's body: every other
 * member, rendered as atrest renders JSON (two-space indentation, members in
 * the report's order, one trailing newline) — exactly the bytes
 * `JSON.stringify(body, null, 2) + "\n"` gives for the parsed report without
 * `evidence`. `atrest verify` recomputes it. The policy in force (with its
 * digest and its files' digests) and the waivers are in the body, so the
 * digest covers them.
 */
export const EVIDENCE_ALGORITHM = 'sha256';
export const EVIDENCE_CANONICALIZATION = 'atrest-json-1: the report without its "evidence" member, as JSON.stringify(report, null, 2) + "\\n" writes it (UTF-8)';

/** Hashes while it yields; batches the pieces into ~64 KiB strings (fewer hash updates and writes). */
function* hashed(chunks: Iterable<string>, hash: ReturnType<typeof createHash>): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= 65536) {
      const text = parts.join('');
      hash.update(text, 'utf8');
      yield text;
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) {
    const text = parts.join('');
    hash.update(text, 'utf8');
    yield text;
  }
}

/** The body digest of a report (ignores any `evidence` member it has). */
export function bodyDigest(report: Report): string {
  const hash = createHash(EVIDENCE_ALGORITHM);
  for (const _ of hashed(jsonChunks(withoutEvidence(report)), hash)) {
    // hashing only
  }
  return hash.digest('hex');
}

export function withoutEvidence(report: Report): Omit<Report, 'evidence'> {
  if (!('evidence' in report)) return report;
  const { evidence: _evidence, ...body } = report;
  return body;
}

/**
 * The JSON report in pieces, with `evidence` computed from the body's own
 * bytes as they are written: one pass, however large the report.
 */
export function* evidencedJsonChunks(report: Report): Generator<string> {
  const hash = createHash(EVIDENCE_ALGORITHM);
  // The body ends with "\n}" and "\n": hold the last pieces back, then add the evidence member before the brace.
  let held: string | undefined;
  for (const text of hashed(jsonChunks(withoutEvidence(report)), hash)) {
    if (held !== undefined) yield held;
    held = text;
  }
  const digest = hash.digest('hex');
  const tail = held ?? '';
  if (!tail.endsWith('\n}\n')) throw new Error('a report body must be a JSON object');
  const evidence: ReportEvidence = { algorithm: EVIDENCE_ALGORITHM, digest, canonicalization: EVIDENCE_CANONICALIZATION };
  const member = JSON.stringify(evidence, null, 2).replace(/\n/g, '\n  ');
  yield `${tail.slice(0, -3)},\n  "evidence": ${member}\n}\n`;
}

/** The resolved policy's digest (canonical JSON, so key order does not matter). */
export function policyDigest(policy: Policy): string {
  return canonicalDigest(policy);
}

/** SHA-256 of a file's bytes, as `sha256sum` prints it. */
export function fileDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
