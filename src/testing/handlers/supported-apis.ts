import { apiSpecs, EndTxn } from '../../protocol/specs';
import type { ApiSpec } from '../../protocol/spec';

// Where the fake brokers answer fewer versions than kafka-rx speaks. EndTxn v5 is transaction
// protocol v2 (an epoch bump per transaction), which is not modelled; Kafka 4 offers it only with unstable versions.
const maxVersions: ReadonlyMap<number, number> = new Map([[EndTxn.apiKey, 4]]);

/**
 * The APIs a fake broker answers (and lists in ApiVersions): the specs of those with a handler
 * (`apiKeys`), taken from kafka-rx's spec index in api key order, with the versions they answer.
 */
export function supportedApis(apiKeys: Iterable<number>): readonly ApiSpec[] {
  const answered = new Set(apiKeys);
  return apiSpecs
    .filter((api) => answered.has(api.apiKey))
    .map((api) => {
      const maxVersion = maxVersions.get(api.apiKey);
      return maxVersion === undefined ? api : { ...api, maxVersion };
    });
}
