import { ConfigError } from '../../config/config-error';
import type { Assignor } from './assignor';
import { cooperativeStickyAssignor } from './cooperative-sticky-assignor';
import { rangeAssignor } from './range-assignor';
import { roundRobinAssignor } from './round-robin-assignor';

export type { Assignor, MemberSubscription, RebalanceProtocol, TopicPartitions } from './assignor';
export { cooperativeStickyAssignor, rangeAssignor, roundRobinAssignor };

/** The assignors kafka-rx ships, by the protocol name members agree on in JoinGroup. */
export const builtInAssignors: ReadonlyMap<string, Assignor> = new Map(
  [rangeAssignor, roundRobinAssignor, cooperativeStickyAssignor].map((a) => [a.name, a]),
);

/**
 * Resolves a configured list of assignors (names of built-in ones, or custom `Assignor` objects),
 * in order of preference. A group mixes eager and cooperative assignors only during an upgrade,
 * and that needs care, so mixing them here is refused.
 */
export function resolveAssignors(config: ReadonlyArray<string | Assignor>): Assignor[] {
  if (config.length === 0) throw new ConfigError('assignors: give at least one assignor');
  const assignors = config.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const found = builtInAssignors.get(entry);
    if (!found) {
      throw new ConfigError(
        `assignors: unknown assignor "${entry}"; built in: ${[...builtInAssignors.keys()].join(', ')}`,
      );
    }
    return found;
  });
  const protocols = new Set(assignors.map((a) => a.rebalanceProtocol));
  if (protocols.size > 1) {
    throw new ConfigError('assignors: do not mix eager and cooperative assignors in one list');
  }
  return assignors;
}
