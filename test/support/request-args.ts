import type { ApiSpec } from '../../src/protocol/spec';
import type { BrokerAddress, RequestBody, RequestOptions } from '../../src/transport/transport';

/**
 * The arguments of `request` on a cluster or transport, as one tuple: a scripted cluster's subclass
 * overrides `request<A extends ApiSpec>(...args: RequestArgs<A>)` and passes them on whole.
 */
export type RequestArgs<A extends ApiSpec> = [
  broker: BrokerAddress,
  api: A,
  body: RequestBody<A>,
  options?: RequestOptions,
];
