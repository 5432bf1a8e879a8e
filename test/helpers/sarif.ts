/**
 * Structure checks for the SARIF 2.1.0 sections atrest writes. The official
 * JSON schema is not shipped by any installed package and tests never
 * download anything, so this checks what the OASIS spec requires of the
 * parts used (§3.13 sarifLog, §3.14 run, §3.18/§3.19 tool and
 * toolComponent, §3.49 reportingDescriptor, §3.50 reportingConfiguration,
 * §3.27 result, §3.28 location, §3.29 physicalLocation, §3.4
 * artifactLocation, §3.33 logicalLocation, §3.35 suppression, §3.20
 * invocation) plus what GitHub code scanning demands on top (a physical
 * location with an artifactLocation URI on every result, a `security` tag
 * next to `security-severity`). Returns every problem found, as
 * "path: what"; an empty list means the log passed.
 */

const LEVELS = ['none', 'note', 'warning', 'error'];
const SUPPRESSION_KINDS = ['inSource', 'external'];
const SUPPRESSION_STATUSES = ['accepted', 'underReview', 'rejected'];
/** RFC 3986 URI reference characters (unreserved, reserved, and percent escapes). */
const URI_REFERENCE = /^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

type Json = any;

export function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const want = (ok: boolean, path: string, what: string): boolean => {
    if (!ok) problems.push(`${path}: ${what}`);
    return ok;
  };
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  const nonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  const message = (m: Json, path: string): void => {
    if (want(isObject(m), path, 'must be a message object')) want(nonEmptyString(m.text), `${path}.text`, 'must be a non-empty string');
  };

  if (!want(isObject(log), '$', 'must be an object')) return problems;
  want(log.version === '2.1.0', '$.version', 'must be "2.1.0"');
  want(typeof log.$schema === 'string' && /^https:\/\/\S+sarif-schema-2\.1\.0\.json$/.test(log.$schema), '$.$schema', 'must be the URI of the SARIF 2.1.0 schema');
  if (!want(Array.isArray(log.runs), '$.runs', 'must be an array')) return problems;
  want(log.runs.length === 1, '$.runs', 'atrest writes exactly one run');

  log.runs.forEach((run: Json, r: number) => {
    const rp = `$.runs[${r}]`;
    if (!want(isObject(run), rp, 'must be an object')) return;
    const driver = run.tool?.driver;
    if (!want(isObject(driver), `${rp}.tool.driver`, 'is required')) return;
    want(nonEmptyString(driver.name), `${rp}.tool.driver.name`, 'is required (non-empty string)');
    want(driver.version === undefined || typeof driver.version === 'string', `${rp}.tool.driver.version`, 'must be a string');
    const rules: Json[] = driver.rules ?? [];
    want(Array.isArray(rules), `${rp}.tool.driver.rules`, 'must be an array');
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const p = `${rp}.tool.driver.rules[${i}]`;
      if (!want(isObject(rule), p, 'must be an object')) return;
      if (want(nonEmptyString(rule.id), `${p}.id`, 'is required')) want(!ids.has(rule.id), `${p}.id`, `duplicate rule id ${rule.id}`);
      ids.add(rule.id);
      message(rule.shortDescription, `${p}.shortDescription`);
      if (rule.fullDescription !== undefined) message(rule.fullDescription, `${p}.fullDescription`);
      if (rule.help !== undefined) message(rule.help, `${p}.help`);
      const level = rule.defaultConfiguration?.level;
      want(level === undefined || LEVELS.includes(level), `${p}.defaultConfiguration.level`, `must be one of ${LEVELS.join(', ')}`);
      const enabled = rule.defaultConfiguration?.enabled;
      want(enabled === undefined || typeof enabled === 'boolean', `${p}.defaultConfiguration.enabled`, 'must be a boolean');
      const props = rule.properties;
      if (props !== undefined && want(isObject(props), `${p}.properties`, 'must be a property bag')) {
        const tags = props.tags;
        want(tags === undefined || (Array.isArray(tags) && tags.every((t: unknown) => typeof t === 'string') && new Set(tags).size === tags.length), `${p}.properties.tags`, 'must be unique strings');
        const sev = props['security-severity'];
        if (sev !== undefined) {
          want(typeof sev === 'string' && /^\d+(\.\d+)?$/.test(sev) && Number(sev) >= 0 && Number(sev) <= 10, `${p}.properties.security-severity`, 'must be a number from 0.0 to 10.0, as a string');
          want(Array.isArray(tags) && tags.includes('security'), `${p}.properties.tags`, 'GitHub reads security-severity only on rules tagged "security"');
        }
      }
    });

    if (run.invocations !== undefined) {
      (run.invocations as Json[]).forEach((inv, i) => {
        want(typeof inv?.executionSuccessful === 'boolean', `${rp}.invocations[${i}].executionSuccessful`, 'is required (boolean)');
        if (inv?.exitCode !== undefined) want(Number.isInteger(inv.exitCode), `${rp}.invocations[${i}].exitCode`, 'must be an integer');
      });
    }

    if (!want(Array.isArray(run.results), `${rp}.results`, 'must be an array')) return;
    (run.results as Json[]).forEach((res, i) => {
      const p = `${rp}.results[${i}]`;
      if (!want(isObject(res), p, 'must be an object')) return;
      want(nonEmptyString(res.ruleId), `${p}.ruleId`, 'is required');
      if (want(Number.isInteger(res.ruleIndex) && res.ruleIndex >= 0 && res.ruleIndex < rules.length, `${p}.ruleIndex`, 'must index tool.driver.rules')) {
        want(rules[res.ruleIndex]?.id === res.ruleId, `${p}.ruleIndex`, `points at ${rules[res.ruleIndex]?.id}, not ${res.ruleId}`);
      }
      message(res.message, `${p}.message`);
      want(LEVELS.includes(res.level), `${p}.level`, `must be one of ${LEVELS.join(', ')}`);
      want(res.kind === undefined || res.kind === 'fail', `${p}.kind`, 'a level other than "none" needs kind "fail" (§3.27.9)');
      if (want(Array.isArray(res.locations) && res.locations.length >= 1, `${p}.locations`, 'GitHub needs at least one location')) {
        (res.locations as Json[]).forEach((loc, l) => {
          const lp = `${p}.locations[${l}]`;
          const uri = loc?.physicalLocation?.artifactLocation?.uri;
          if (want(nonEmptyString(uri), `${lp}.physicalLocation.artifactLocation.uri`, 'GitHub rejects a result without one')) {
            want(URI_REFERENCE.test(uri), `${lp}.physicalLocation.artifactLocation.uri`, 'must be a valid URI reference');
            want(!SCHEME.test(uri) && !uri.startsWith('/'), `${lp}.physicalLocation.artifactLocation.uri`, 'must be a relative path (GitHub accepts no other scheme)');
          }
          const logical = loc?.logicalLocations;
          if (logical !== undefined && want(Array.isArray(logical), `${lp}.logicalLocations`, 'must be an array')) {
            (logical as Json[]).forEach((ll, k) => {
              want(nonEmptyString(ll?.fullyQualifiedName) || nonEmptyString(ll?.name), `${lp}.logicalLocations[${k}]`, 'needs a name or fullyQualifiedName');
              want(ll?.kind === undefined || typeof ll.kind === 'string', `${lp}.logicalLocations[${k}].kind`, 'must be a string');
            });
          }
        });
      }
      const fp = res.partialFingerprints;
      if (fp !== undefined) want(isObject(fp) && Object.values(fp).every((v) => nonEmptyString(v)), `${p}.partialFingerprints`, 'must map names to non-empty strings');
      if (res.suppressions !== undefined && want(Array.isArray(res.suppressions), `${p}.suppressions`, 'must be an array')) {
        (res.suppressions as Json[]).forEach((s, k) => {
          want(SUPPRESSION_KINDS.includes(s?.kind), `${p}.suppressions[${k}].kind`, `is required: ${SUPPRESSION_KINDS.join(' or ')}`);
          want(s?.status === undefined || SUPPRESSION_STATUSES.includes(s.status), `${p}.suppressions[${k}].status`, `must be one of ${SUPPRESSION_STATUSES.join(', ')}`);
          want(s?.justification === undefined || typeof s.justification === 'string', `${p}.suppressions[${k}].justification`, 'must be a string');
        });
      }
    });
  });
  return problems;
}
