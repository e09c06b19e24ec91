import { of } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { ApiVersions } from '../../protocol/specs';
import type { ApiSpec } from '../../protocol/spec';
import type { ClusterState } from '../broker-state/cluster-state';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ApiHandler } from './handler';

// Kafka's rule for ApiVersions v3+ client software names and versions.
const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

function response(supportedApis: readonly ApiSpec[], errorCode: number): ResponseBodyOf<typeof ApiVersions> {
  return {
    errorCode,
    apiKeys: supportedApis.map((api) => ({
      apiKey: api.apiKey,
      minVersion: api.minVersion,
      maxVersion: api.maxVersion,
    })),
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1n,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}

/**
 * The answer Kafka gives to an ApiVersions request of a version it does not speak: a v0 body
 * with UNSUPPORTED_VERSION and its own ApiVersions range, so the client can retry with one.
 */
export function unsupportedApiVersionsResponse(): ResponseBodyOf<typeof ApiVersions> {
  return {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [
      { apiKey: ApiVersions.apiKey, minVersion: ApiVersions.minVersion, maxVersion: ApiVersions.maxVersion },
    ],
  };
}

/** ApiVersions (key 18): the versions of every API the fake brokers answer (`supportedApis`). */
export function apiVersionsHandler(
  supportedApis: (cluster?: ClusterState) => readonly ApiSpec[],
): ApiHandler<typeof ApiVersions> {
  return {
    api: ApiVersions,
    handle({ version, body }, cluster) {
      if (
        version >= 3 &&
        (!SOFTWARE.test(body.clientSoftwareName ?? '') || !SOFTWARE.test(body.clientSoftwareVersion ?? ''))
      ) {
        return of(response(supportedApis(cluster), ErrorCode.INVALID_REQUEST));
      }
      return of(response(supportedApis(cluster), ErrorCode.NONE));
    },
    errorResponse: (_request, errorCode) => response(supportedApis(), errorCode),
  };
}
