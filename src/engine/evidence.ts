import { createHash } from 'node:crypto';
import type { Report, ReportEvidence } from '../model/report.js';
import type { Policy } from '../model/policy.js';
import { canonicalDigest } from '../util/canonical.js';
import { objectMembers } from '../report/json-stream.js';

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

/** Bytes per piece: each chunk is encoded once, into its piece, which is hashed and written as it is. */
const PIECE = 1 << 20;
/** How the body closes (JSON.stringify(body, null, 2) + "\n"): hashed, not written. */
const BODY_END = '\n}\n';

/**
 * The body's bytes in ~1 MiB pieces: every chunk is encoded to UTF-8 once,
 * straight into the piece (no joined string), the piece hashed as it goes
 * and then written by the caller as it is; the body's closing `\n}\n` is
 * hashed but not yielded, so the caller can add members after the body's own.
 */
function* hashedBody(report: Report, hash: ReturnType<typeof createHash>): Generator<Buffer> {
  let piece = Buffer.allocUnsafe(PIECE);
  let used = 0;
  let members = false;
  for (const chunk of objectMembers(withoutEvidence(report))) {
    members = true;
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (used + 3 * chunk.length > PIECE && used > 0) {
      const full = piece.subarray(0, used);
      hash.update(full);
      yield full;
      piece = Buffer.allocUnsafe(PIECE);
      used = 0;
    }
    if (3 * chunk.length > PIECE) {
      const bytes = Buffer.from(chunk, 'utf8');
      hash.update(bytes);
      yield bytes;
    } else used += piece.write(chunk, used, 'utf8');
  }
  if (!members) throw new Error('a report body must be a JSON object with members');
  if (used > 0) {
    const rest = piece.subarray(0, used);
    hash.update(rest);
    yield rest;
  }
  hash.update(BODY_END);
}

/** The body digest of a report (ignores any `evidence` member it has). */
export function bodyDigest(report: Report): string {
  const hash = createHash(EVIDENCE_ALGORITHM);
  for (const _ of hashedBody(report, hash)) {
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
 * The JSON report in pieces (UTF-8 Buffers), with `evidence` computed from
 * the body's own bytes as they are written: one pass, however large the
 * report. The body is the report without `evidence`, as JSON.stringify
 * writes it and closed with `\n}\n`; the written report has `evidence` as
 * its last member instead of that closing.
 */
export function* evidencedJsonChunks(report: Report): Generator<Buffer> {
  const hash = createHash(EVIDENCE_ALGORITHM);
  yield* hashedBody(report, hash);
  const evidence: ReportEvidence = { algorithm: EVIDENCE_ALGORITHM, digest: hash.digest('hex'), canonicalization: EVIDENCE_CANONICALIZATION };
  const member = JSON.stringify(evidence, null, 2).replace(/\n/g, '\n  ');
  yield Buffer.from(`,\n  "evidence": ${member}\n}\n`, 'utf8');
}

/** The resolved policy's digest (canonical JSON, so key order does not matter). */
export function policyDigest(policy: Policy): string {
  return canonicalDigest(policy);
}

/** SHA-256 of a file's bytes, as `sha256sum` prints it. */
export function fileDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
