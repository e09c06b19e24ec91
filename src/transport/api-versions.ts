import { map, mergeMap, of, type Observable } from 'rxjs';
import { decodeResponse } from '../protocol/codec';
import { protocolError } from '../protocol/errors';
import type { ApiSpec } from '../protocol/spec';
import type { ResponseOf } from '../protocol/spec-types';
import { ApiVersions } from '../protocol/specs';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from './client-software';
import type { Connection } from './connection';
import { describeBroker, UnsupportedVersionError, unsupportedVersionError } from './errors';
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
      throw new UnsupportedVersionError(
        `${api.name} v${version} is outside what kafka-rx (v${api.minVersion}-${api.maxVersion}) and ` +
          `${describeBroker(this.broker)} (${range ? `v${range.minVersion}-${range.maxVersion}` : 'none'}) both speak`,
      );
    }
    return version;
  }
}

/** The version asked first. */
const FIRST_VERSION = 3;
const UNSUPPORTED_VERSION = 35;

/**
 * The first exchange on every connection: ApiVersions v3 (naming the client software). A broker that
 * does not speak v3 answers UNSUPPORTED_VERSION in a v0 response (KIP-511). Kafka's brokers list only
 * ApiVersions itself there; then the question is asked again at the highest version the broker
 * named (v0 when the answer cannot be read, as with librdkafka 2.0's mock broker). An answer that
 * lists the other APIs too is used as it is.
 */
export function negotiateApiVersions(
  connection: Connection,
  broker: BrokerAddress,
): Observable<BrokerVersions> {
  const ask = (version: number): Observable<Buffer> =>
    connection
      .send(ApiVersions, version, {
        clientSoftwareName: CLIENT_SOFTWARE_NAME,
        clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
      })
      .pipe(map((frame) => frame!));

  return ask(FIRST_VERSION).pipe(
    mergeMap((frame) => {
      // ApiVersions responses always have header v0 (the correlation id alone) and every version
      // starts with errorCode, so the error can be read before knowing the version of the body.
      if (frame.length < 6 || frame.readInt16BE(4) !== UNSUPPORTED_VERSION) {
        return of(brokerVersions(broker, decodeResponse(ApiVersions, FIRST_VERSION, frame).body));
      }
      const fallback = readFallback(frame);
      if (fallback !== undefined && fallback.apiKeys.length > 1)
        return of(brokerVersions(broker, fallback, true));
      const own = fallback?.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
      const retryVersion = own ? Math.max(0, Math.min(FIRST_VERSION - 1, own.maxVersion)) : 0;
      return ask(retryVersion).pipe(
        map((retried) => brokerVersions(broker, decodeResponse(ApiVersions, retryVersion, retried).body)),
      );
    }),
  );
}

/** The v0 body of an UNSUPPORTED_VERSION answer, or `undefined` when it cannot be read. */
function readFallback(frame: Buffer): ResponseOf<typeof ApiVersions> | undefined {
  try {
    return decodeResponse(ApiVersions, 0, frame).body;
  } catch {
    return undefined;
  }
}

function brokerVersions(
  broker: BrokerAddress,
  body: ResponseOf<typeof ApiVersions>,
  unsupportedIsExpected = false,
): BrokerVersions {
  if (body.errorCode !== 0 && !(unsupportedIsExpected && body.errorCode === UNSUPPORTED_VERSION)) {
    throw protocolError(body.errorCode)!;
  }
  const ranges = new Map<number, ApiVersionRange>();
  for (const key of body.apiKeys) {
    ranges.set(key.apiKey, { minVersion: key.minVersion, maxVersion: key.maxVersion });
  }
  return new BrokerVersions(broker, ranges);
}
