import type { ServiceCheck } from '../collect/check.js';
import type { ServiceIac } from '../iac/mapping.js';
import type { RuleCompliance } from '../compliance/mapping.js';
import type { ServiceMatrixEntry } from '../model/matrix.js';
import type { ServiceName } from '../model/services.js';
import type { Rule } from '../rules/rule.js';

/**
 * Everything atrest knows about one service, in one typed object. Each
 * service folder (src/services/<id>/) exports one, from its service.ts, and
 * src/services/list.ts lists them: the only list of services. The service
 * names, the collectors, the matrix, the rule catalogue, the compliance
 * mappings, the IAM policy, the schemas' service enums, the strict policy's
 * data stores and the ARN examples of policy validation are all derived from
 * the descriptors (test/services/descriptors.test.ts checks each one is
 * complete and consistent).
 */
export interface ServiceDescriptor<Id extends ServiceName = ServiceName> {
  /** The public name (`--services`, `resources[].service`, policy keys). */
  id: Id;
  /** The code that reads the service's resources, loaded only when a scan needs it. */
  collector: CollectorEntry;
  /** How the service does encryption at rest (`atrest matrix`); `matrix.service` is `id`. */
  matrix: ServiceMatrixEntry;
  /**
   * Further rows, for resource types whose encryption works differently from
   * the main row's (S3 directory buckets, DynamoDB Accelerator clusters): each
   * names its own resource types, which the main row does not list.
   */
  moreMatrixRows?: readonly ServiceMatrixEntry[];
  /** The rules that judge the service's resources; their ids start with the service's prefix. */
  rules: readonly Rule[];
  /** For each of `rules`, the controls it evidences (or why none), by rule id. */
  compliance: Readonly<Record<string, RuleCompliance>>;
  /** The AWS APIs the collector calls, with the IAM action of every operation. */
  apis: readonly ServiceApi[];
  /**
   * Operations that list the service's resources of every Region at once
   * (S3 ListBuckets): when one fails, nothing of the service was seen in any
   * Region, so its coverage finding obeys only the policy's service scope.
   */
  accountWideOperations?: readonly string[];
  /** Where the resources' tags come from (for tag overrides), in words. */
  tags: string;
  /** A data store: the built-in strict policy requires customer managed keys for it. */
  dataStore: boolean;
  /** One example ARN per resource type, to tell which services a policy's ARN glob can reach. */
  exampleArns(partition: string): string[];
  /** The service's page in docs/services/. */
  docs: string;
  /** Terraform / CloudFormation resource kinds → Resource records, and fixes as code (`atrest iac`, `atrest fix`), loaded when those run. */
  iac?: { load(): Promise<ServiceIac> };
}

/** A collector module. Services that share one (the RDS API lists RDS and Aurora) share the entry, and it runs once. */
export interface CollectorEntry {
  /** Names the module in logs. */
  id: string;
  /** `regional`: run once per scanned region. `account`: once per scan (S3 lists every bucket in one call). */
  scope: 'regional' | 'account';
  load(): Promise<ServiceCheck>;
}

/** One AWS API (SDK client package) a collector calls. */
export interface ServiceApi {
  /** The SDK package, e.g. `@aws-sdk/client-efs`. */
  sdkPackage: string;
  /** The client's `config.serviceId` (e.g. `EFS`): how the test-time read-only guard recognises the client. */
  serviceId: string;
  /** The IAM service prefix, e.g. `elasticfilesystem`: not always the package name. */
  iamPrefix: string;
  /**
   * Every operation atrest calls through this API, with the IAM action that
   * allows it — usually `<iamPrefix>:<operation>`, but not always (S3's
   * ListBuckets is s3:ListAllMyBuckets): a fix that names an action IAM does
   * not know sends the user in circles.
   */
  operations: Readonly<Record<string, string>>;
  /**
   * IAM actions that no SDK call of atrest names but that IAM checks inside
   * one of `operations`: Lambda's GetFunction returns a function's Tags only
   * when the caller is also allowed lambda:ListTags, and answers TagsError
   * otherwise. Keyed by the action's own operation name, which is what a scan
   * error records when that check fails (so the fix names the right action).
   * They are in the least-privilege policy like every operation's action; the
   * read-only contract test checks that each rides on an operation the source
   * calls.
   */
  impliedActions?: Readonly<Record<string, ImpliedAction>>;
}

/** An IAM action checked inside another operation's call. */
export interface ImpliedAction {
  /** The IAM action, e.g. `lambda:ListTags`. */
  action: string;
  /** The operation (a key of `operations`) whose answer depends on it. */
  within: string;
  /** What the answer lacks without it, with the AWS page that says so. */
  why: string;
}

/** `<prefix>:<operation>` for each operation: the common case of ServiceApi.operations. */
export function sameNamedActions(iamPrefix: string, operations: readonly string[]): Record<string, string> {
  return Object.fromEntries(operations.map((operation) => [operation, `${iamPrefix}:${operation}`]));
}
