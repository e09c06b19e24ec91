import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { encodeRequest, encodeRequestFrame } from '../../src/protocol/codec';
import { GATHER_MIN_BYTES } from '../../src/protocol/primitives';
import { encodeRecordBatch } from '../../src/protocol/records';
import { Produce } from '../../src/protocol/specs';
import { openTcpChannel } from '../../src/transport/tcp-channel';

const header = { correlationId: 7, clientId: 'frame-test' };

function batchOf(valueBytes: number, records: number): Buffer {
  return encodeRecordBatch(
    Array.from({ length: records }, (_, i) => ({
      key: Buffer.from(`k${i}`),
      value: Buffer.alloc(valueBytes, 0x61 + (i % 26)),
      timestamp: 1700000000000 + i,
      headers: [],
    })),
  );
}

function produceBody(batches: Buffer[]) {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: [
      {
        name: 'orders',
        partitionData: batches.map((records, index) => ({ index, records })),
      },
    ],
  };
}

describe('a Produce request frame', () => {
  it.each([3, 9, 11])(
    'v%i: the batches are pieces of the frame, not copied, and the bytes are encodeRequest’s',
    (version) => {
      const batches = [batchOf(100, 60), batchOf(100, 80)];
      expect(batches.every((b) => b.length >= GATHER_MIN_BYTES)).toBe(true);
      const body = produceBody(batches);
      const frame = encodeRequestFrame(Produce, version, header, body);
      expect(Array.isArray(frame)).toBe(true);
      const pieces = frame as readonly Buffer[];
      // The very buffers the producer made, in order, with the header and fields around them.
      expect(pieces.filter((p) => batches.includes(p))).toEqual(batches);
      expect(pieces.filter((p) => p === batches[0] || p === batches[1])).toHaveLength(2);
      expect(Buffer.concat(pieces).equals(encodeRequest(Produce, version, header, body))).toBe(true);
    },
  );

  it('copies a batch smaller than GATHER_MIN_BYTES into a single buffer', () => {
    const small = batchOf(10, 3);
    expect(small.length).toBeLessThan(GATHER_MIN_BYTES);
    const body = produceBody([small]);
    const frame = encodeRequestFrame(Produce, 9, header, body);
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect((frame as Buffer).equals(encodeRequest(Produce, 9, header, body))).toBe(true);
  });

  it('a frame of pieces written to a TCP channel arrives as the one frame encodeRequest makes', async () => {
    const body = produceBody([batchOf(100, 60), batchOf(1000, 40), batchOf(10, 2)]);
    const expected = encodeRequest(Produce, 9, header, body);
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let whole: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (whole = resolve));
    const server = createServer((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        receivedBytes += chunk.length;
        if (receivedBytes >= expected.length) whole();
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const channel = await firstValueFrom(openTcpChannel({ host: '127.0.0.1', port, nodeId: 1 }));
    try {
      channel.write(encodeRequestFrame(Produce, 9, header, body));
      await arrived;
      expect(Buffer.concat(received).equals(expected)).toBe(true);
    } finally {
      channel.close();
      server.close();
    }
  });
});
