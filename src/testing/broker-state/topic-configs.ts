/**
 * The topic configs a fake topic knows, with Kafka's documented defaults (what DescribeConfigs
 * reports as DEFAULT_CONFIG). Any other name is refused with INVALID_CONFIG, as Kafka refuses it.
 */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'delete.retention.ms': '86400000',
  'max.message.bytes': '1048588',
  'message.timestamp.type': 'CreateTime',
  'min.compaction.lag.ms': '0',
  'min.insync.replicas': '1',
  'retention.bytes': '-1',
  'retention.ms': '604800000',
  'segment.bytes': '1073741824',
  'segment.ms': '604800000',
};

const CHOICES: Readonly<Record<string, readonly string[]>> = {
  'cleanup.policy': ['delete', 'compact', 'compact,delete', 'delete,compact'],
  'compression.type': ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'],
  'message.timestamp.type': ['CreateTime', 'LogAppendTime'],
};

/** Why a topic config cannot be set to `value`, or undefined when it can. */
export function topicConfigProblem(name: string, value: string | null): string | undefined {
  const fallback = TOPIC_CONFIG_DEFAULTS[name];
  if (fallback === undefined) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic config: ${name}`;
  const choices = CHOICES[name];
  if (choices !== undefined) {
    return choices.includes(value) ? undefined : `Invalid value ${value} for configuration ${name}`;
  }
  return /^-?\d+$/.test(value) ? undefined : `Invalid value ${value} for configuration ${name}: Not a number`;
}
