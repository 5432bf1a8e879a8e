import type { ProtectionLevel } from './levels.js';
import type { ServiceName } from './services.js';

/**
 * The per-service encryption matrix: how each service does encryption at
 * rest. Rules read this data instead of carrying per-service `if` chains, and
 * `atrest matrix` prints it. Each entry cites the AWS documentation page its
 * facts come from.
 */

/** How a resource that is below policy is brought up to it. */
export const REMEDIATION_PATHS = {
  'in-place': 'change the setting in place; takes effect at once',
  'new-objects-only': 'change the setting in place; applies to data written afterwards (re-encrypt existing data by copying it)',
  'rebuild-from-encrypted-copy': 'cannot be changed in place: snapshot, copy the snapshot with encryption and the chosen key, restore to a new resource, cut over',
  'modify-in-place-with-migration': 'changed in place by the service, which migrates the data (takes time; the resource may be read-only meanwhile)',
  'rotate-in-place': 'key settings change in place',
} as const;

export type RemediationPath = keyof typeof REMEDIATION_PATHS;

export interface RemediationSnippets {
  /** One line for the table. */
  summary: string;
  /** Console or CLI steps in order. */
  steps: string[];
  cli?: string;
  terraform?: string;
  cloudformation?: string;
}

export interface ServiceMatrixEntry {
  service: ServiceName;
  name: string;
  /** The resource types atrest reports for this service. */
  resourceTypes: string[];
  /** `always`: no way to store unencrypted; `default`: on unless turned off or predates the default; `optional`: off unless turned on. */
  encryptedByDefault: 'always' | 'default' | 'optional';
  /** The date the service started encrypting new resources by default, if it changed. */
  defaultSince: string | null;
  /** The level a new resource gets when nobody chooses a key. */
  defaultLevel: ProtectionLevel;
  defaultDescription: string;
  /** The levels this service can give. */
  possibleLevels: ProtectionLevel[];
  granularity: string;
  /** Can encryption be switched on for an existing unencrypted resource? (null: it is never off) */
  enableAfterCreation: boolean | null;
  /** Can the key of an existing resource be changed? */
  changeKeyAfterCreation: boolean;
  remediationPath: RemediationPath;
  remediation: RemediationSnippets;
  /** What encryption costs here, in one line. */
  cost: string;
  docs: string;
}

/** The three customer managed levels, for the rows of services that take customer managed keys. */
export const CMK_LEVELS: ProtectionLevel[] = ['customer-managed', 'customer-managed-imported', 'customer-managed-hsm'];
