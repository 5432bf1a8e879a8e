/**
 * Whether a string has the shape of an AWS Region name: two letters, words, a
 * number (us-east-1, ap-southeast-5, us-gov-west-1, eu-isoe-west-1). The one
 * place this is decided: `--regions` and the key resolver (which keeps
 * placeholders such as REGION out of KMS calls) both ask here.
 */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}
