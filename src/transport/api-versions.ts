import { map, type Observable } from 'rxjs';
import { KafkaRxError } from '../errors';
import { decodeResponse } from '../protocol/codec';
import { protocolError } from '../protocol/errors';
import type { ApiSpec, Message } from '../protocol/spec';
import { ApiVersions } from '../protocol/specs';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from './client-software';
import type { Connection } from './connection';
import { describeBroker, unsupportedVersionError } from './errors';
import type { BrokerAddress } from './transport';

/** The version range a broker supports for one API key. */
export interface ApiVersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** The API versions one broker supports, and the version to use for each API. */
export class BrokerVersions {
  constructor(
    readonly broker: BrokerAddress,
    /** By API key. */
    readonly ranges: ReadonlyMap<number, ApiVersionRange>,
  ) {}

  /** The highest version both sides speak; throws an `UnsupportedVersionError` when there is none. */
  versionFor(api: ApiSpec): number {
    const range = this.ranges.get(api.apiKey);
    if (range !== undefined) {
      const version = Math.min(api.maxVersion, range.maxVersion);
      if (version >= Math.max(api.minVersion, range.minVersion)) return version;
    }
    throw unsupportedVersionError(this.broker, api, range);
  }

  /** Checks a version forced by the caller against both sides' ranges. */
  check(api: ApiSpec, version: number): number {
    const range = this.ranges.get(api.apiKey);
    const ok =
      range !== undefined &&
      version >= api.minVersion &&
      version <= api.maxVersion &&
      version >= range.minVersion &&
      version <= range.maxVersion;
    if (!ok) {
      throw new KafkaRxError(
        'UnsupportedVersionError',
        `${api.name} v${version} is outside what kafka-rx (v${api.minVersion}-${api.maxVersion}) and ` +
          `${describeBroker(this.broker)} (${range ? `v${range.minVersion}-${range.maxVersion}` : 'none'}) both speak`,
        { code: 35 },
      );
    }
    return version;
  }
}

/** The version asked first; a broker without it answers UNSUPPORTED_VERSION in a v0 response. */
const FIRST_VERSION = 3;
const UNSUPPORTED_VERSION = 35;

/**
 * The first exchange on every connection: ApiVersions v3 (naming the client software). A broker that
 * does not speak v3 answers UNSUPPORTED_VERSION with a v0 response that still lists its versions
 * (KIP-511), which is read as such.
 */
export function negotiateApiVersions(connection: Connection, broker: BrokerAddress): Observable<BrokerVersions> {
  return connection
    .send(ApiVersions, FIRST_VERSION, {
      clientSoftwareName: CLIENT_SOFTWARE_NAME,
      clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
    })
    .pipe(map((frame) => brokerVersions(broker, frame!)));
}

function brokerVersions(broker: BrokerAddress, frame: Buffer): BrokerVersions {
  // ApiVersions responses always have header v0 (the correlation id alone), and every version
  // starts with errorCode, so the error can be read before knowing which version came back.
  const errorCode = frame.length >= 6 ? frame.readInt16BE(4) : -1;
  const version = errorCode === UNSUPPORTED_VERSION ? 0 : FIRST_VERSION;
  const body: Message = decodeResponse(ApiVersions, version, frame).body;
  if (body.errorCode !== 0 && body.errorCode !== UNSUPPORTED_VERSION) {
    throw protocolError(body.errorCode)!;
  }
  const ranges = new Map<number, ApiVersionRange>();
  for (const key of body.apiKeys as Message[]) {
    ranges.set(key.apiKey, { minVersion: key.minVersion, maxVersion: key.maxVersion });
  }
  return new BrokerVersions(broker, ranges);
}
