import type { RuleIndexEntry, RulesIndex } from '../model/rules-index.js';
import { RULES_INDEX_SCHEMA_VERSION } from '../model/rules-index.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { sortBy } from '../util/sort.js';
import { RULES } from './catalog.js';
import { COMPLIANCE } from '../compliance/by-rule.js';
import { CONTROLS, FRAMEWORKS } from '../compliance/frameworks.js';
import type { Rule } from '../rules/rule.js';
import { SCAN_INCOMPLETE } from '../rules/scan-coverage.js';

/**
 * The index of what atrest checks (`atrest rules`): every rule of the
 * catalog, and SCAN.INCOMPLETE, with its compliance controls taken from the
 * data file, the same way the engine takes them for findings.
 */
export function buildRulesIndex(rules: readonly Rule[] = RULES): RulesIndex {
  const entries = [
    ...rules.map((rule) =>
      entry(rule.id, {
        title: rule.title,
        severity: rule.severity,
        rationale: rule.rationale,
        matrixFacts: [...rule.matrixFacts],
        remediation: rule.remediationSummary ?? null,
      }),
    ),
    entry(SCAN_INCOMPLETE.id, {
      title: SCAN_INCOMPLETE.title,
      severity: SCAN_INCOMPLETE.severity,
      rationale: SCAN_INCOMPLETE.rationale,
      matrixFacts: [],
      // Each finding names the call that failed and the permission it needs.
      remediation: null,
    }),
  ];
  return {
    kind: 'atrest-rules',
    schemaVersion: RULES_INDEX_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    frameworks: Object.values(FRAMEWORKS).map((f) => ({ id: f.id, title: f.title, source: f.source })),
    rules: sortBy(entries, (e) => [e.id]),
  };
}

type RuleFacts = Pick<RuleIndexEntry, 'title' | 'severity' | 'rationale' | 'matrixFacts' | 'remediation'>;

function entry(id: string, facts: RuleFacts): RuleIndexEntry {
  const data = COMPLIANCE[id];
  const compliance = (data?.mappings ?? []).map((m) => {
    const info = CONTROLS[m.framework][m.control];
    return {
      framework: m.framework,
      control: m.control,
      title: info?.title ?? '',
      source: info?.source ?? '',
      test: m.test ?? { kind: 'rule-status' as const },
      scope: m.scope ?? null,
    };
  });
  return {
    id,
    ...facts,
    compliance,
    notMapped: sortBy(data?.notMapped ?? [], (n) => [n.framework, n.control]).map((n) => ({ ...n })),
    noControl: data?.none ?? null,
  };
}
