import { runKafkaToolOk } from '../kafka-tool';

const GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand';

/** The rows of a ConsumerGroupCommand table (header line first), as objects keyed by column name. */
export function groupTable(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  const at = lines.findIndex((l) => l.startsWith('GROUP '));
  if (at < 0) throw new Error(`no table in:\n${stdout}`);
  const columns = lines[at].trim().split(/\s+/);
  return lines.slice(at + 1).map((l) => {
    const cells = l.trim().split(/\s+/);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  });
}

/** kafka-consumer-groups --describe (with `flags`: --members, --state, --verbose): its table's rows. */
export async function describeGroup(
  bootstrap: string,
  group: string,
  ...flags: string[]
): Promise<Record<string, string>[]> {
  const { stdout } = await runKafkaToolOk(GROUP_COMMAND, [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--group',
    group,
    ...flags,
  ]);
  return groupTable(stdout);
}
