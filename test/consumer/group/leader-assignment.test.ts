import { Observable, of } from 'rxjs';
import type { ClusterMetadata } from '../../../src/cluster/cluster';
import { decodeVersioned } from '../../../src/protocol/codec';
import type { Message } from '../../../src/protocol/spec';
import { ConsumerProtocolAssignment } from '../../../src/protocol/specs';
import { ScriptedConsumerCluster } from '../../support/scripted-consumer-cluster';
import { scriptedConsumerOn } from '../../support/scripted-consumer';

/** A cluster whose cached metadata is stale: it still says `orders` has 2 partitions; a refresh says 4. */
class StaleMetadataCluster extends ScriptedConsumerCluster {
  refreshes = 0;
  private readonly stale = new ScriptedConsumerCluster(this.clock, new Map([['orders', 2]]));

  override metadata(): Observable<ClusterMetadata> {
    return this.stale.metadata();
  }

  override refreshMetadata(): Observable<ClusterMetadata> {
    this.refreshes++;
    return super.metadata();
  }
}

describe('the group leader assigns from fresh metadata', () => {
  it('assigns partitions added since its metadata was cached, asking for metadata before SyncGroup', () => {
    const { clock, cluster, consumer, rebalances } = scriptedConsumerOn(
      (clock) => new StaleMetadataCluster(clock, new Map([['orders', 4]])),
      { sessionTimeoutMs: 10000, heartbeatIntervalMs: 3000 },
    );
    consumer.messages$.subscribe();
    let refreshesAtSync = -1;
    cluster.once('SyncGroup', (b) => {
      refreshesAtSync = cluster.refreshes;
      const mine = (b.assignments as Message[]).find((a) => a.memberId === b.memberId);
      return of({ errorCode: 0, assignment: mine?.assignment ?? Buffer.alloc(0) });
    });
    clock.advanceTo(1000);

    const sync = cluster.requests('SyncGroup')[0];
    const sent = decodeVersioned(
      ConsumerProtocolAssignment,
      (sync.body.assignments as Message[])[0].assignment as Buffer,
    ).body;
    expect(sent.assignedPartitions).toEqual([{ topic: 'orders', partitions: [0, 1, 2, 3] }]);
    expect(refreshesAtSync).toBeGreaterThanOrEqual(1);
    expect(rebalances[0]?.partitions.map((tp) => tp.partition)).toEqual([0, 1, 2, 3]);
  });
});
