import type { ServiceMatrixEntry } from '../model/matrix.js';
import type { ServiceName } from '../model/services.js';
import { aurora } from './aurora/service.js';
import type { ServiceDescriptor } from './descriptor.js';
import { dynamodb } from './dynamodb/service.js';
import { ebs } from './ebs/service.js';
import { efs } from './efs/service.js';
import { kms } from './kms/service.js';
import { lambda } from './lambda/service.js';
import { rds } from './rds/service.js';
import { redshift } from './redshift/service.js';
import { s3 } from './s3/service.js';

/**
 * The services atrest audits: the only list of them. Everything else that
 * depends on which services exist is derived from it. The order is the order
 * of reports, `atrest matrix` and `--help`.
 *
 * Nothing here imports an AWS SDK module: collectors are loaded only when a
 * scan runs them.
 */
export const SERVICE_DESCRIPTORS = [s3, ebs, rds, aurora, dynamodb, lambda, redshift, kms, efs] as const satisfies readonly ServiceDescriptor[];

// Compile-time proof that the list and the names agree: every name a service
// folder declares (model/services.ts ServiceIds) has its descriptor here.
type Listed = (typeof SERVICE_DESCRIPTORS)[number]['id'];
type Unlisted = Exclude<ServiceName, Listed>;
const everyServiceListed: [Unlisted] extends [never] ? true : { missingFromTheList: Unlisted } = true;
void everyServiceListed;

/** The service names, in list order. */
export const SERVICES: readonly ServiceName[] = SERVICE_DESCRIPTORS.map((d) => d.id);

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}

const BY_ID = new Map<string, ServiceDescriptor>(SERVICE_DESCRIPTORS.map((d) => [d.id, d]));

/** The descriptor of a service. */
export function descriptorOf(service: ServiceName): ServiceDescriptor {
  return BY_ID.get(service)!;
}

/** The per-service matrix, by service (`atrest matrix`; rules that need another service's row). */
export const MATRIX: Readonly<Record<ServiceName, ServiceMatrixEntry>> = Object.fromEntries(SERVICE_DESCRIPTORS.map((d) => [d.id, d.matrix])) as Record<
  ServiceName,
  ServiceMatrixEntry
>;

/** Every matrix row, in list order: each service's main row, then its rows for resource types of their own (`atrest matrix`). */
export const MATRIX_ROWS: readonly ServiceMatrixEntry[] = SERVICE_DESCRIPTORS.flatMap((d) => [d.matrix, ...((d as ServiceDescriptor).moreMatrixRows ?? [])]);

/** The matrix row of a resource type: the service's row that lists the type, else its main row. */
export function matrixFor(service: ServiceName, type: string): ServiceMatrixEntry {
  return MATRIX_ROWS.find((row) => row.service === service && row.resourceTypes.includes(type)) ?? MATRIX[service];
}

/** Every resource type a service reports, over all its rows. */
export function resourceTypesOf(service: ServiceName): string[] {
  return MATRIX_ROWS.filter((row) => row.service === service).flatMap((row) => row.resourceTypes);
}
