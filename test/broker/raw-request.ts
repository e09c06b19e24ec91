import { connect } from 'node:net';

/**
 * One hand-written request over a plain socket (request header v1: apiKey,
 * version, correlation id, client id), independent of any client library so
 * that the harness's own tests do not trust code they will later test.
 * Resolves with the response body after the correlation id.
 */
export function rawRequest(
  address: { host: string; port: number },
  apiKey: number,
  version: number,
  body: Buffer,
  timeoutMs = 5000,
): Promise<Buffer> {
  const clientId = Buffer.from('raw-request');
  const correlationId = 0x5eed;
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + clientId.length + body.length);
  const frame = Buffer.concat([size, header, clientId, body]);

  return new Promise((resolve, reject) => {
    const socket = connect(address);
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`request ${apiKey} v${version} timed out`)));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a response')));
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      socket.end();
      const response = received.subarray(4, 4 + received.readInt32BE(0));
      if (response.readInt32BE(0) !== correlationId) reject(new Error('correlation id mismatch'));
      else resolve(response.subarray(4));
    });
  });
}

export interface ApiVersionRange {
  apiKey: number;
  min: number;
  max: number;
}

/** ApiVersions v0; rejects with the error code if the broker answers one. */
export async function probeApiVersions(address: { host: string; port: number }): Promise<ApiVersionRange[]> {
  const body = await rawRequest(address, 18, 0, Buffer.alloc(0));
  const errorCode = body.readInt16BE(0);
  if (errorCode !== 0) throw new Error(`ApiVersions error ${errorCode}`);
  const ranges: ApiVersionRange[] = [];
  for (let i = 0, at = 6; i < body.readInt32BE(2); i++, at += 6) {
    ranges.push({
      apiKey: body.readInt16BE(at),
      min: body.readInt16BE(at + 2),
      max: body.readInt16BE(at + 4),
    });
  }
  return ranges;
}

/** FindCoordinator v0 for a group; resolves with the coordinator's node id. */
export async function probeGroupCoordinator(
  address: { host: string; port: number },
  groupId: string,
): Promise<number> {
  const id = Buffer.from(groupId);
  const request = Buffer.alloc(2 + id.length);
  request.writeInt16BE(id.length, 0);
  id.copy(request, 2);
  const body = await rawRequest(address, 10, 0, request);
  const errorCode = body.readInt16BE(0);
  if (errorCode !== 0) throw new Error(`FindCoordinator error ${errorCode}`);
  return body.readInt32BE(2);
}
