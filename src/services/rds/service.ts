import type { ServiceDescriptor } from '../descriptor.js';
import { RDS_API, RDS_COLLECTOR } from './api.js';
import { RDS_COMPLIANCE } from './compliance.js';
import { rdsMatrix } from './matrix.js';
import { RDS_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    rds: true;
  }
}

/** Amazon RDS DB instances, Multi-AZ DB clusters and their snapshots (every engine but Aurora, DocumentDB and Neptune). */
export const rds: ServiceDescriptor<'rds'> = {
  id: 'rds',
  collector: RDS_COLLECTOR,
  matrix: rdsMatrix,
  rules: RDS_RULES,
  compliance: RDS_COMPLIANCE,
  apis: [RDS_API],
  tags: 'the TagList of the DescribeDB* listings (no extra call)',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:rds:us-east-1:111122223333:db:example`, `arn:${p}:rds:us-east-1:111122223333:snapshot:example`],
  docs: 'docs/services/rds.md',
  iac: { load: async () => (await import('./iac.js')).rdsIac },
};
