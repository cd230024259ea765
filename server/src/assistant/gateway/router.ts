import type { Jurisdiction } from '../../../../common/src/jurisdiction.ts';
import type { AiModel, AiProvider, ModelKind } from '../providers/config.ts';

/**
 * Model aliases and their replicas. A request names an alias; each provider serving it is a
 * replica. The choice is least-busy: the replica with the fewest requests in flight on this
 * process, ties broken in turn (so equal replicas share the load). A request that fails over
 * asks again, without the replicas it already tried. Counts are per process: on several nodes,
 * each balances its own requests.
 */
export interface Replica {
  provider: AiProvider;
  model: AiModel;
  /** Requests being served by this replica from this process. */
  inFlight: number;
}

export interface ModelEntry {
  alias: string;
  kind: ModelKind;
  replicas: Replica[];
  /** The smallest context window of the replicas that declare one. */
  contextWindow: number | null;
  jurisdictions: Jurisdiction[];
}

export class ModelRouter {
  readonly #entries = new Map<string, ModelEntry>();
  #turn = 0;

  constructor(providers: readonly AiProvider[]) {
    for (const provider of providers) {
      for (const model of provider.models) {
        let entry = this.#entries.get(model.alias);
        if (!entry) {
          entry = { alias: model.alias, kind: model.kind, replicas: [], contextWindow: null, jurisdictions: [] };
          this.#entries.set(model.alias, entry);
        }
        entry.replicas.push({ provider, model, inFlight: 0 });
        if (model.contextWindow !== null) entry.contextWindow = Math.min(entry.contextWindow ?? Number.POSITIVE_INFINITY, model.contextWindow);
        if (!entry.jurisdictions.includes(provider.jurisdiction)) entry.jurisdictions.push(provider.jurisdiction);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  entries(): ModelEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.alias.localeCompare(b.alias));
  }

  lookup(alias: string): ModelEntry | undefined {
    return this.#entries.get(alias);
  }

  /**
   * Takes the least-busy replica not yet tried and counts the request on it (synchronously: two
   * requests arriving together go to two replicas). `release` must be called once it is done.
   */
  acquire(entry: ModelEntry, tried: ReadonlySet<Replica>): Replica | null {
    const candidates = entry.replicas.filter((r) => !tried.has(r));
    if (candidates.length === 0) return null;
    const start = this.#turn++ % candidates.length;
    let best: Replica | null = null;
    for (let i = 0; i < candidates.length; i++) {
      const replica = candidates[(start + i) % candidates.length] as Replica;
      if (!best || replica.inFlight < best.inFlight) best = replica;
    }
    (best as Replica).inFlight++;
    return best;
  }

  release(replica: Replica): void {
    replica.inFlight = Math.max(0, replica.inFlight - 1);
  }
}
