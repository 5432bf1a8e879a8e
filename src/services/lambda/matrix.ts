import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** How AWS Lambda does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
// Verified against https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
// ("By default, Lambda uses an AWS managed key"), encrypt-zip-package.html (".zip deployment packages ...
// By default, Lambda uses an AWS owned key") and the KMSKeyArn/SourceKMSKeyArn API reference (KMSKeyArn
// also covers SnapStart snapshots and, with SourceKMSKeyArn, the unzipped code).
export const lambdaMatrix: ServiceMatrixEntry = {
  service: 'lambda',
  name: 'AWS Lambda',
  resourceTypes: ['function', 'function-version'],
  encryptedByDefault: 'always',
  defaultSince: null,
  defaultLevel: 'aws-managed',
  defaultDescription:
    'environment variables and SnapStart snapshots are encrypted with the AWS managed key aws/lambda unless KMSKeyArn names another key; the .zip package with an AWS owned key unless SourceKMSKeyArn is set (KMSKeyArn then also encrypts the unzipped code)',
  possibleLevels: ['aws-owned', 'aws-managed', ...CMK_LEVELS],
  granularity: 'function (environment variables key; .zip package key apart)',
  enableAfterCreation: null,
  changeKeyAfterCreation: true,
  remediationPath: 'in-place',
  remediation: {
    summary:
      'set a customer managed key in place with UpdateFunctionConfiguration --kms-key-arn; the execution role needs kms:Decrypt on it (Lambda also uses a grant), and whoever edits the variables needs access to the key',
    steps: [
      'Lambda console › function › Configuration › Environment variables › Edit › Encryption configuration › Use a customer master key',
      'or: aws lambda update-function-configuration --function-name FUNCTION --kms-key-arn KEY_ARN',
      'allow the execution role kms:Decrypt on the key; a disabled or unreachable key makes invocations fail',
      'for the .zip package: aws lambda update-function-code --function-name FUNCTION --zip-file fileb://code.zip --source-kms-key-arn KEY_ARN (the key policy must allow lambda.amazonaws.com)',
      'move real secrets to AWS Secrets Manager or SSM SecureString parameters instead of environment variables',
    ],
    cli: 'aws lambda update-function-configuration --function-name FUNCTION --kms-key-arn KEY_ARN',
    terraform: 'resource "aws_lambda_function" "this" {\n  kms_key_arn = aws_kms_key.this.arn\n}',
    cloudformation: 'AWS::Lambda::Function:\n  Properties:\n    KmsKeyArn: !GetAtt Key.Arn',
  },
  cost: 'aws/lambda and the AWS owned key free; customer managed keys cost the usual KMS key charge and requests',
  docs: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html',
};
