import { createAdmin } from '../../../src/admin';

/**
 * Makes share group `groupId` start from the earliest offset (Kafka's default for a new share
 * group is the latest), and with `lockMs` its acquisition lock (share.record.lock.duration.ms).
 */
export async function earliestShareGroup(bootstrap: string, groupId: string, lockMs?: number): Promise<void> {
  const admin = createAdmin({ brokers: bootstrap.split(',') });
  const changes = [{ name: 'share.auto.offset.reset', value: 'earliest' }];
  if (lockMs !== undefined) changes.push({ name: 'share.record.lock.duration.ms', value: String(lockMs) });
  try {
    const [result] = await admin.incrementalAlterConfigs([{ type: 'group', name: groupId, changes }]);
    if (result?.error) throw result.error;
  } finally {
    await admin.close();
  }
}
