import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { LAMBDA_COMPLIANCE } from './compliance.js';
import { lambdaMatrix } from './matrix.js';
import { LAMBDA_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    lambda: true;
  }
}

/** AWS Lambda functions: the key of their environment variables and of their .zip package. */
export const lambda: ServiceDescriptor<'lambda'> = {
  id: 'lambda',
  collector: { id: 'lambda', scope: 'regional', load: async () => (await import('./check.js')).lambdaCheck },
  matrix: lambdaMatrix,
  rules: LAMBDA_RULES,
  compliance: LAMBDA_COMPLIANCE,
  apis: [{ sdkPackage: '@aws-sdk/client-lambda', serviceId: 'Lambda', iamPrefix: 'lambda', operations: sameNamedActions('lambda', ['ListFunctions', 'GetFunction']) }],
  tags: 'the Tags of GetFunction, one call per function',
  // Functions hold code and configuration, not a data store: strict leaves their key to the baseline.
  dataStore: false,
  exampleArns: (p) => [`arn:${p}:lambda:us-east-1:111122223333:function:example`],
  docs: 'docs/services/lambda.md',
};
