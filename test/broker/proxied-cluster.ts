import type { MockCluster } from './mock-cluster';
import { startRecordProxy, type Exchange, type RecordProxy, type RecordProxyOptions } from './record-proxy';

const METADATA = 3;
const FIND_COORDINATOR = 10;

export interface ProxiedCluster {
  /** Bootstrap list of the proxies, for the client. */
  readonly bootstrap: string;
  readonly proxies: RecordProxy[];
  /** Every exchange through any proxy, in arrival order per proxy. */
  exchanges(): Exchange[];
  close(): Promise<void>;
}

/**
 * One recording proxy per broker. Clients connect to the brokers that
 * Metadata and FindCoordinator name, which would bypass the proxies, so the
 * port in those responses is rewritten to the proxy's before the client sees
 * it (hosts stay 127.0.0.1, so no lengths change). Recorded bytes are the
 * broker's originals.
 */
export async function proxyCluster(
  cluster: MockCluster,
  /** Applied after the port rewrites; see RecordProxyOptions. */
  options: RecordProxyOptions = {},
): Promise<ProxiedCluster> {
  const portMap = new Map<number, number>();
  const rewriteResponse = (apiKey: number, version: number, frame: Buffer) => {
    if (apiKey === METADATA) rewriteMetadataPorts(frame, version, portMap);
    if (apiKey === FIND_COORDINATOR) rewriteFindCoordinatorPorts(frame, version, portMap);
    return options.rewriteResponse?.(apiKey, version, frame) ?? frame;
  };
  const { answerRequest, rewriteRequest } = options;
  const proxies = await Promise.all(
    cluster.brokers.map((b) => startRecordProxy(b, { rewriteResponse, answerRequest, rewriteRequest })),
  );
  cluster.brokers.forEach((b, i) => portMap.set(b.port, proxies[i].port));
  return {
    bootstrap: proxies.map((p) => `${p.host}:${p.port}`).join(','),
    proxies,
    exchanges: () => proxies.flatMap((p) => p.exchanges),
    close: async () => void (await Promise.all(proxies.map((p) => p.close()))),
  };
}

/** Walks a response frame; only what is needed to find broker ports. */
class Cursor {
  constructor(
    readonly buf: Buffer,
    public at: number,
    readonly flexible: boolean,
  ) {}
  int16 = () => ((this.at += 2), this.buf.readInt16BE(this.at - 2));
  int32 = () => ((this.at += 4), this.buf.readInt32BE(this.at - 4));
  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.buf[this.at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  }
  arrayLength = () => (this.flexible ? this.uvarint() - 1 : this.int32());
  skipString(): void {
    const length = this.flexible ? this.uvarint() - 1 : this.int16();
    if (length > 0) this.at += length;
  }
  skipTags(): void {
    if (!this.flexible) return;
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.at += this.uvarint();
    }
  }
  /** Replaces the int32 port at the cursor, if it is a broker we proxy. */
  port(portMap: Map<number, number>): void {
    const mapped = portMap.get(this.buf.readInt32BE(this.at));
    if (mapped !== undefined) this.buf.writeInt32BE(mapped, this.at);
    this.at += 4;
  }
}

/** Response header: correlation id, then (header v1, flexible) tagged fields. */
function body(frame: Buffer, flexible: boolean): Cursor {
  const c = new Cursor(frame, 4, flexible);
  c.skipTags();
  return c;
}

function rewriteMetadataPorts(frame: Buffer, version: number, portMap: Map<number, number>): void {
  const c = body(frame, version >= 9);
  if (version >= 3) c.int32(); // throttle_time_ms
  for (let n = c.arrayLength(); n > 0; n--) {
    c.int32(); // node_id
    c.skipString(); // host
    c.port(portMap);
    if (version >= 1) c.skipString(); // rack
    c.skipTags();
  }
}

function rewriteFindCoordinatorPorts(frame: Buffer, version: number, portMap: Map<number, number>): void {
  const c = body(frame, version >= 3);
  if (version >= 1) c.int32(); // throttle_time_ms
  if (version < 4) {
    c.int16(); // error_code
    if (version >= 1) c.skipString(); // error_message
    c.int32(); // node_id
    c.skipString(); // host
    c.port(portMap);
    return;
  }
  for (let n = c.arrayLength(); n > 0; n--) {
    c.skipString(); // key
    c.int32(); // node_id
    c.skipString(); // host
    c.port(portMap);
    c.int16(); // error_code
    c.skipString(); // error_message
    c.skipTags();
  }
}
