import { map, type Observable } from 'rxjs';
import { decodeResponse, encodeRequest } from '../../src/protocol/codec';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { FakeCluster } from '../../src/testing';

let correlationId = 0;

/** Sends one request to fake broker `nodeId` through the memory-transport handler and decodes the answer. */
export function call(
  cluster: FakeCluster,
  api: ApiSpec,
  version: number,
  body: Message,
  nodeId = 0,
): Observable<Message | undefined> {
  const id = ++correlationId;
  const frame = encodeRequest(api, version, { correlationId: id, clientId: 'test' }, body).subarray(4);
  return cluster.handler({ host: `fake-${nodeId}`, port: 9092, nodeId }, frame).pipe(
    map((response) => {
      if (response === undefined) return undefined;
      const decoded = decodeResponse(api, version, response);
      if (decoded.correlationId !== id)
        throw new Error(`correlation id ${decoded.correlationId}, expected ${id}`);
      return decoded.body;
    }),
  );
}

/** The one answer of a request that answers synchronously. */
export function callNow(
  cluster: FakeCluster,
  api: ApiSpec,
  version: number,
  body: Message,
  nodeId = 0,
): Message | undefined {
  let answer: Message | undefined;
  let answered = false;
  call(cluster, api, version, body, nodeId).subscribe({
    next: (m) => {
      answer = m;
      answered = true;
    },
  });
  if (!answered) throw new Error(`${api.name} v${version} did not answer synchronously`);
  return answer;
}
