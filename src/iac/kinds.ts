import type { ServiceName } from '../model/services.js';
import { SERVICE_DESCRIPTORS } from '../services/list.js';
import type { FixBuilder } from './fix-model.js';
import type { IacKindFacts, IacKindMapping } from './mapping.js';

/**
 * The infrastructure-code knowledge of every service, from the service
 * descriptors (each service's src/services/<service>/iac.ts, loaded on first
 * use): the only list of services stays src/services/list.ts.
 */
export interface IacKnowledge {
  mappings: readonly IacKindMapping[];
  facts: readonly IacKindFacts[];
  setKey: Partial<Record<ServiceName, FixBuilder>>;
  ruleFixes: Readonly<Record<string, FixBuilder>>;
  /** Enables a key the code creates disabled (KMS.KEY_STATE of its dependants). */
  enableKey: FixBuilder | null;
  mappingFor(kind: string): IacKindMapping | undefined;
}

let loading: Promise<IacKnowledge> | null = null;

export function loadIacKnowledge(): Promise<IacKnowledge> {
  loading ??= (async () => {
    const mappings: IacKindMapping[] = [];
    const facts: IacKindFacts[] = [];
    const setKey: Partial<Record<ServiceName, FixBuilder>> = {};
    const ruleFixes: Record<string, FixBuilder> = {};
    let enableKey: FixBuilder | null = null;
    const loaded = await Promise.all(SERVICE_DESCRIPTORS.map(async (d) => ({ id: d.id as ServiceName, iac: d.iac ? await d.iac.load() : null })));
    for (const { id, iac } of loaded) {
      if (!iac) continue;
      if (iac.mapping && !mappings.includes(iac.mapping)) mappings.push(iac.mapping);
      facts.push(...iac.facts);
      if (iac.setKey) setKey[id] = iac.setKey;
      Object.assign(ruleFixes, iac.ruleFixes ?? {});
      enableKey ??= iac.enableKey ?? null;
    }
    // One mapping reads RDS and Aurora (as one check collects both): its fix moves either to a key.
    if (setKey.rds && !setKey.aurora) setKey.aurora = setKey.rds;
    return { mappings, facts, setKey, ruleFixes, enableKey, mappingFor: (kind) => mappings.find((m) => m.kinds.includes(kind)) };
  })();
  return loading;
}
