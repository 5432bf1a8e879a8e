import { NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the lambda rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const LAMBDA_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'LAMBDA.ENV_ENCRYPTION': { mappings: [], none: NO_CONTROL('the key of Lambda environment variables') },
  'LAMBDA.ENV_SECRETS': { mappings: [], none: NO_CONTROL('secrets kept in Lambda environment variables') },
};
