import type { ScanError } from '../model/inventory.js';
import type { ServiceApi } from '../services/descriptor.js';
import { descriptorOf, isServiceName, SERVICE_DESCRIPTORS } from '../services/list.js';
import { CALLER_APIS, CORE_APIS } from './core-apis.js';

/**
 * The IAM action that allows an API operation, from the APIs the service
 * descriptors (and CORE_APIS) declare: most are `<prefix>:<operation>`, some
 * are not (s3:ListBuckets is s3:ListAllMyBuckets), and the prefix is not
 * always the SDK package's name (client-efs calls elasticfilesystem:…).
 * iam/atrest-readonly-policy.json is generated from the same declarations
 * (`npm run generate`), and the read-only contract test checks them against
 * every SDK call the source makes.
 */

/** Every API atrest calls, each once (RDS and Aurora share theirs). */
export function allApis(): ServiceApi[] {
  return [...new Set([...CORE_APIS, ...SERVICE_DESCRIPTORS.flatMap((d) => d.apis)])];
}

/** Every API atrest calls, with those only the principal that runs it calls (CALLER_APIS: AssumeRole, ListAccounts). */
export function everyApi(): ServiceApi[] {
  return [...allApis(), ...CALLER_APIS];
}

/** The actions of the base principal's policy (iam/atrest-assume-role-policy.json), sorted. */
export function callerIamActions(): string[] {
  return [...new Set(CALLER_APIS.flatMap((api) => Object.values(api.operations)))].sort();
}

/** The action of `operation` for a client, from every API declared for its package or serviceId (EC2 serves EBS and DescribeRegions). */
export function declaredAction(match: (api: ServiceApi) => boolean, operation: string): string | null {
  for (const api of everyApi()) if (match(api) && api.operations[operation]) return api.operations[operation]!;
  return null;
}

/** The actions of the least-privilege policy: every declared operation's, sorted. */
export function allIamActions(): string[] {
  return [...new Set(allApis().flatMap((api) => [...Object.values(api.operations), ...Object.values(api.impliedActions ?? {}).map((i) => i.action)]))].sort();
}

/** The action for an operation of an SDK client package, e.g. ('@aws-sdk/client-s3', 'ListBuckets') → s3:ListAllMyBuckets; null for an undeclared operation or package. */
export function iamActionForPackage(sdkPackage: string, operation: string): string | null {
  return declaredAction((a) => a.sdkPackage === sdkPackage, operation);
}


/**
 * The action a failed call needed, from the atrest service and operation a
 * ScanError records. When two APIs of a service share an operation (S3's
 * GetBucketEncryption is s3:GetEncryptionConfiguration on a general purpose
 * bucket, s3express:GetEncryptionConfiguration on a directory bucket), the
 * ARN the call was about decides: its service namespace is the API's IAM prefix.
 */
export function iamActionFor(service: ScanError['service'], operation: string, resourceArn?: string): string {
  const all = isServiceName(service) ? descriptorOf(service).apis : [...CORE_APIS, ...CALLER_APIS].filter((a) => a.iamPrefix === service);
  const namespace = resourceArn?.split(':')[2];
  const apis = [...all.filter((a) => a.iamPrefix === namespace), ...all.filter((a) => a.iamPrefix !== namespace)];
  for (const api of apis) {
    const action = api.operations[operation] ?? api.impliedActions?.[operation]?.action;
    if (action) return action;
  }
  return `${apis[0]?.iamPrefix ?? service}:${operation}`;
}
