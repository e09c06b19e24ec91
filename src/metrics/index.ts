export { clientMetrics, type ClientMetricsOptions } from './client-metrics';
export type { ClientMetricsSnapshot, RequestLatency, Throughput } from './client-metrics-snapshot';
