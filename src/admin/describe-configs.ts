import type { Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { DescribeConfigs } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { RESOURCE_TYPE_CODES, type ConfigResource } from './config-resource';
import { resourceAnswer } from './resource-answer';
import { perResourceBroker } from './resource-requests';
import { retryItems } from './retry-items';

/** Where a config value comes from, by Kafka's ConfigSource names. */
export type ConfigSource =
  | 'UNKNOWN'
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'DYNAMIC_BROKER_LOGGER_CONFIG'
  | 'CLIENT_METRICS_CONFIG'
  | 'GROUP_CONFIG';

const SOURCES: readonly ConfigSource[] = [
  'UNKNOWN',
  'DYNAMIC_TOPIC_CONFIG',
  'DYNAMIC_BROKER_CONFIG',
  'DYNAMIC_DEFAULT_BROKER_CONFIG',
  'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG',
  'DYNAMIC_BROKER_LOGGER_CONFIG',
  'CLIENT_METRICS_CONFIG',
  'GROUP_CONFIG',
];

const TYPES = [
  'UNKNOWN',
  'BOOLEAN',
  'STRING',
  'INT',
  'SHORT',
  'LONG',
  'DOUBLE',
  'LIST',
  'CLASS',
  'PASSWORD',
] as const;

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  readonly source: ConfigSource;
}

export interface ConfigEntry {
  readonly name: string;
  /** null for a sensitive value, or one that is not set. */
  readonly value: string | null;
  readonly source: ConfigSource;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
  readonly type: (typeof TYPES)[number];
  /** With `synonyms: true`: where the value comes from, most specific first. */
  readonly synonyms: readonly ConfigSynonym[];
  /** With `documentation: true`. */
  readonly documentation: string | null;
}

export interface DescribeConfigsRequest extends ConfigResource {
  /** Only these configs; default all. */
  readonly keys?: readonly string[];
}

export interface DescribeConfigsOptions {
  /** Include each config's synonyms. Default false. */
  readonly synonyms?: boolean;
  /** Include each config's documentation. Default false. */
  readonly documentation?: boolean;
}

export interface ResourceConfigs extends ConfigResource {
  /** Sorted by name. */
  readonly configs: readonly ConfigEntry[];
  readonly error?: KafkaRxError;
}

const source = (code: number): ConfigSource => SOURCES[code] ?? 'UNKNOWN';

function entry(c: ResponseOf<typeof DescribeConfigs>['results'][number]['configs'][number]): ConfigEntry {
  return {
    name: c.name,
    value: c.value ?? null,
    source: source(c.configSource),
    readOnly: c.readOnly,
    sensitive: c.isSensitive,
    // configType is v3+.
    type: TYPES[c.configType ?? -1] ?? 'UNKNOWN',
    synonyms: (c.synonyms ?? []).map((s) => ({
      name: s.name,
      value: s.value ?? null,
      source: source(s.source),
    })),
    documentation: c.documentation ?? null,
  };
}

function answers(
  response: ResponseOf<typeof DescribeConfigs>,
  batch: readonly DescribeConfigsRequest[],
): ResourceConfigs[] {
  return batch.map(({ type, name }) => {
    const { answer, error } = resourceAnswer(response.results, { type, name });
    if (error) return { type, name, configs: [], error };
    const configs = answer.configs
      .map(entry)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { type, name, configs };
  });
}

/** DescribeConfigs: each broker's own resources to that broker, the rest to any broker. One result per resource. */
export function describeConfigs$(
  ctx: AdminContext,
  resources: readonly DescribeConfigsRequest[],
  options: DescribeConfigsOptions = {},
): Observable<ResourceConfigs[]> {
  const body = (batch: readonly DescribeConfigsRequest[]): RequestOf<typeof DescribeConfigs> => ({
    resources: batch.map((r) => ({
      resourceType: RESOURCE_TYPE_CODES[r.type],
      resourceName: r.name,
      configurationKeys: r.keys ? [...r.keys] : null,
    })),
    includeSynonyms: options.synonyms ?? false,
    includeDocumentation: options.documentation ?? false,
  });
  return retryItems(
    resources,
    (batch) => perResourceBroker(ctx, batch, DescribeConfigs, body, answers),
    ctx.retry,
  );
}
