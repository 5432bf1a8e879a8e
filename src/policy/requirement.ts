import type { Resource } from '../model/inventory.js';
import type { ProtectionLevel } from '../model/levels.js';
import type { KeyListMap, OverrideRef, Policy, PolicyScope, RotationDemand, TagOverride } from '../model/policy.js';
import type { ServiceName } from '../model/services.js';
import type { Severity } from '../model/severity.js';
import { globMatch } from '../util/glob.js';

/**
 * What a policy demands of one resource: its minimum level, allowed keys and
 * rotation after tag overrides, and whether it is in scope at all.
 */

/** A level failure of an encrypted resource, unless the policy says otherwise. */
export const DEFAULT_LEVEL_FAILURE_SEVERITY: Severity = 'medium';
/** A level failure of an encrypted resource below a tag override's minimum, unless the override says otherwise. */
export const OVERRIDE_LEVEL_FAILURE_SEVERITY: Severity = 'high';

/** The minimum level the policy demands for a resource type of a service. */
export function minimumLevelFor(policy: Policy, service: ServiceName, type: string): ProtectionLevel {
  const levels = policy.minimumLevel as Record<string, ProtectionLevel | undefined>;
  return levels[`${service}:${type}`] ?? levels[service] ?? policy.minimumLevel.default;
}

/** What the policy demands of one resource, after tag overrides. */
export interface Requirement {
  minimumLevel: ProtectionLevel;
  /** null: no allowed-keys list applies. */
  allowedKeys: string[] | null;
  rotation: RotationDemand;
  /**
   * Severity of a level failure for an encrypted resource below
   * `minimumLevel`: the policy's `levelFailureSeverity` (default medium), or,
   * when a tag override set the minimum, the override's (default high).
   */
  levelFailureSeverity: Severity;
  /** The tag override that decided, if one matched. */
  override: OverrideRef | null;
  /** The policy has tag overrides for this service but the inventory holds no tags for the resource. */
  tagsUnavailable: boolean;
  /**
   * Set when the check tried to read the resource's tags and failed
   * (`resource.tagsError`) while tag overrides could apply: the requirement
   * under each of those overrides. Rules decide through `decideUnderTags`.
   */
  undecided?: UndecidedTags;
}

export interface UndecidedTags {
  error: { operation: string; code: string; message: string };
  /** One per override that could have matched, in policy order, each with `override` set. */
  alternatives: Requirement[];
}

function keyListFor(map: KeyListMap | undefined, service: ServiceName, type: string): string[] | null {
  if (!map) return null;
  const lists = map as Record<string, string[] | undefined>;
  return lists[`${service}:${type}`] ?? lists[service] ?? lists.default ?? null;
}

function overrideApplies(override: TagOverride, resource: Resource): boolean {
  if (override.services && !override.services.includes(resource.service)) return false;
  const tags = resource.tags;
  if (!tags) return false;
  return Object.entries(override.tags).every(([key, pattern]) => tags[key] !== undefined && globMatch(pattern, tags[key]!));
}

/** The first tag override that matches the resource (first match wins), with its position. */
export function matchingOverride(policy: Policy, resource: Resource): { override: TagOverride; index: number } | null {
  const list = policy.tagOverrides ?? [];
  for (let index = 0; index < list.length; index += 1) {
    const override = list[index]!;
    if (overrideApplies(override, resource)) return { override, index };
  }
  return null;
}

/**
 * The requirement for a resource: the service (or `service:type`) settings,
 * replaced field by field by the first matching tag override.
 */
export function requirementFor(policy: Policy, resource: Resource): Requirement {
  const base: Requirement = {
    minimumLevel: minimumLevelFor(policy, resource.service, resource.type),
    allowedKeys: keyListFor(policy.allowedKeys, resource.service, resource.type),
    rotation: { ...policy.rotation, ...(policy.rotationByService?.[resource.service] ?? {}) },
    levelFailureSeverity: policy.levelFailureSeverity ?? DEFAULT_LEVEL_FAILURE_SEVERITY,
    override: null,
    tagsUnavailable: false,
  };
  const hit = matchingOverride(policy, resource);
  if (!hit) {
    const relevant = (policy.tagOverrides ?? [])
      .map((override, index) => ({ override, index }))
      .filter(({ override }) => !override.services || override.services.includes(resource.service));
    const tagsUnavailable = relevant.length > 0 && resource.tags === undefined;
    if (tagsUnavailable && resource.tagsError) {
      // Any of them could have matched (or none): the rules weigh every possibility.
      const alternatives = relevant.map(({ override, index }) => applyOverride(base, override, index));
      return { ...base, tagsUnavailable, undecided: { error: { ...resource.tagsError }, alternatives } };
    }
    return { ...base, tagsUnavailable };
  }
  return applyOverride(base, hit.override, hit.index);
}

function applyOverride(base: Requirement, override: TagOverride, index: number): Requirement {
  return {
    minimumLevel: override.minimumLevel ?? base.minimumLevel,
    allowedKeys: override.allowedKeys ?? base.allowedKeys,
    rotation: { ...base.rotation, ...(override.rotation ?? {}) },
    // The override's own severity; when it sets no minimum, the minimum (and so a failure) is the service setting's.
    levelFailureSeverity: override.levelFailureSeverity ?? (override.minimumLevel ? OVERRIDE_LEVEL_FAILURE_SEVERITY : base.levelFailureSeverity),
    override: { name: override.name, index, tags: override.tags, ...(override.source ? { source: override.source } : {}) },
    tagsUnavailable: false,
  };
}

/** "tag override \"restricted\" (data-classification=restricted)", for messages. */
export function describeOverride(override: OverrideRef): string {
  const tags = Object.entries(override.tags).map(([k, v]) => `${k}=${v}`).join(', ');
  return `tag override "${override.name}" (${tags})`;
}

/**
 * The rotation demand on a KMS key: the policy's own (with `services.kms`
 * and a tag override on the key), tightened by the explicit demands of the
 * services whose resources depend on the key (per-service settings and
 * overrides that set rotation). Tightening: required if any demands it; the
 * shortest maximum period among those that require it.
 */
export function rotationDemandFor(
  policy: Policy,
  keyResource: Resource,
  dependents: readonly Resource[],
): RotationDemand & { decidedBy: string[] } {
  const own = requirementFor(policy, keyResource);
  let demand: RotationDemand = { ...own.rotation };
  const decidedBy: string[] = own.override ? [describeOverride(own.override)] : [];
  const tighten = (extra: Partial<RotationDemand> | undefined, why: string): void => {
    if (!extra) return;
    // An explicit demand inherits what it does not say from the policy's top-level rotation.
    const other: RotationDemand = { ...policy.rotation, ...extra };
    if (!other.required) return;
    const next: RotationDemand = demand.required
      ? { required: true, maxPeriodDays: Math.min(demand.maxPeriodDays, other.maxPeriodDays) }
      : { ...other };
    if (next.required !== demand.required || next.maxPeriodDays !== demand.maxPeriodDays) {
      demand = next;
      decidedBy.push(why);
    }
  };
  const services = [...new Set(dependents.map((d) => d.service))].sort();
  for (const service of services) tighten(policy.rotationByService?.[service], `services.${service}.rotation`);
  for (const dependent of dependents) {
    const hit = matchingOverride(policy, dependent);
    if (hit?.override.rotation) tighten(hit.override.rotation, `${describeOverride({ name: hit.override.name, index: hit.index, tags: hit.override.tags })} on ${dependent.arn}`);
  }
  return { ...demand, decidedBy: [...new Set(decidedBy)] };
}

/** Is the resource inside the policy's scope? */
export function inScope(scope: PolicyScope | undefined, item: { service: string; region: string; arn: string }): boolean {
  if (!scope) return true;
  if (scope.services && !(scope.services as string[]).includes(item.service)) return false;
  // Global resources (region "" or "global") are kept unless their ARN is excluded.
  if (scope.regions && item.region && item.region !== 'global' && !scope.regions.includes(item.region)) return false;
  if (scope.include && !scope.include.some((p) => globMatch(p, item.arn))) return false;
  if (scope.exclude && scope.exclude.some((p) => globMatch(p, item.arn))) return false;
  return true;
}

