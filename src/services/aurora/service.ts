import type { ServiceDescriptor } from '../descriptor.js';
import { RDS_API, RDS_COLLECTOR } from '../rds/api.js';
import { AURORA_COMPLIANCE } from './compliance.js';
import { auroraMatrix } from './matrix.js';
import { AURORA_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    aurora: true;
  }
}

/** Amazon Aurora DB clusters and cluster snapshots: read through the RDS API, by the RDS collector. */
export const aurora: ServiceDescriptor<'aurora'> = {
  id: 'aurora',
  collector: RDS_COLLECTOR,
  matrix: auroraMatrix,
  rules: AURORA_RULES,
  compliance: AURORA_COMPLIANCE,
  apis: [RDS_API],
  tags: 'the TagList of the DescribeDB* listings (no extra call)',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:rds:us-east-1:111122223333:cluster:example`, `arn:${p}:rds:us-east-1:111122223333:cluster-snapshot:example`],
  docs: 'docs/services/aurora.md',
  iac: { load: async () => (await import('./iac.js')).auroraIac },
};
