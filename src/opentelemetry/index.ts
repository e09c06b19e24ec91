/**
 * kafka-rx/opentelemetry: spans for OpenTelemetry from kafka-rx's diagnostics channels. Needs the
 * optional peer dependency `@opentelemetry/api`; the rest of kafka-rx never loads it.
 */
export { instrumentKafkaRx, type KafkaRxInstrumentationOptions } from './instrument';
export { formatTraceparent, parseTraceparent, TRACEPARENT } from './trace-context';
