import type { ServiceName } from '../model/services.js';
import type { CollectorEntry } from '../services/descriptor.js';
import { SERVICE_DESCRIPTORS } from '../services/list.js';

/**
 * The collectors a scan runs, from the service descriptors: each collector
 * once, however many of the asked-for services it produces (the RDS API lists
 * RDS and Aurora). Modules are imported only when a scan runs them, so
 * `atrest --help` never loads an AWS SDK client.
 */
export interface CollectorRun {
  collector: CollectorEntry;
  /** The services whose resources it produces. */
  services: ServiceName[];
}

/** Services that have a collector, in list order. */
export function implementedServices(): ServiceName[] {
  return SERVICE_DESCRIPTORS.map((d) => d.id);
}

/** The collectors needed for `services`, each once, in list order. */
export function checksFor(services: readonly ServiceName[]): CollectorRun[] {
  const runs = new Map<CollectorEntry, CollectorRun>();
  for (const descriptor of SERVICE_DESCRIPTORS) {
    if (!services.includes(descriptor.id)) continue;
    const run = runs.get(descriptor.collector) ?? { collector: descriptor.collector, services: [] };
    run.services.push(descriptor.id);
    runs.set(descriptor.collector, run);
  }
  return [...runs.values()];
}
