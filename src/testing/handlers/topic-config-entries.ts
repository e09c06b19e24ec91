import { TOPIC_CONFIG_DEFAULTS } from '../broker-state/topic-configs';

/** Kafka's ConfigSource codes that a fake topic's configs have. */
export const DYNAMIC_TOPIC_CONFIG = 1;
export const DEFAULT_CONFIG = 5;

/** Every config of a topic: those set on it, and the defaults of the rest, sorted by name. */
export function describedTopicConfigs(
  set: ReadonlyMap<string, string>,
): Array<{ name: string; value: string; configSource: number }> {
  return Object.keys(TOPIC_CONFIG_DEFAULTS)
    .sort()
    .map((name) => {
      const value = set.get(name);
      return value === undefined
        ? { name, value: TOPIC_CONFIG_DEFAULTS[name], configSource: DEFAULT_CONFIG }
        : { name, value, configSource: DYNAMIC_TOPIC_CONFIG };
    });
}
