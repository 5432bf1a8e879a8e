import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { LAMBDA_COMPLIANCE } from './compliance.js';
import { lambdaMatrix } from './matrix.js';
import { LAMBDA_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    lambda: true;
  }
}

/** AWS Lambda functions and the published versions an alias or SnapStart keeps alive: the key of their environment variables and of their .zip package. */
export const lambda: ServiceDescriptor<'lambda'> = {
  id: 'lambda',
  collector: { id: 'lambda', scope: 'regional', load: async () => (await import('./check.js')).lambdaCheck },
  matrix: lambdaMatrix,
  rules: LAMBDA_RULES,
  compliance: LAMBDA_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-lambda',
      serviceId: 'Lambda',
      iamPrefix: 'lambda',
      operations: sameNamedActions('lambda', ['ListFunctions', 'GetFunction', 'ListVersionsByFunction', 'ListAliases']),
      impliedActions: {
        ListTags: {
          action: 'lambda:ListTags',
          within: 'GetFunction',
          why: 'GetFunction returns the function\'s Tags only if the caller is allowed lambda:ListTags, and TagsError otherwise (GetFunction API reference: "Lambda returns tag data only if you have explicit allow permissions for lambda:ListTags")',
        },
      },
    },
  ],
  tags: 'the Tags of GetFunction, one call per function (they need lambda:ListTags as well; TagsError makes them unreadable)',
  // Functions hold code and configuration, not a data store: strict leaves their key to the baseline.
  dataStore: false,
  exampleArns: (p) => [`arn:${p}:lambda:us-east-1:111122223333:function:example`, `arn:${p}:lambda:us-east-1:111122223333:function:example:3`],
  docs: 'docs/services/lambda.md',
  iac: { load: async () => (await import('./iac.js')).lambdaIac },
};
