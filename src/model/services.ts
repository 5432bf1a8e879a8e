/**
 * The names of the services atrest audits. The strings are part of the JSON
 * contract.
 *
 * Nothing here lists them: each service folder adds its own name to
 * `ServiceIds` in its descriptor (src/services/<name>/service.ts, by
 * declaration merging), and src/services/list.ts lists the descriptors — the
 * one list of services. The compiler checks that every name has a descriptor
 * in that list. The model stays free of any import from the services, so the
 * type graph has no cycle.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ServiceIds {}

export type ServiceName = Extract<keyof ServiceIds, string>;
