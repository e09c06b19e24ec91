import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import { channels } from '../diagnostics/channels';
import type { ProcessTrace, ProduceSendTrace } from '../diagnostics/payloads';
import type { ConsumerRecord } from '../consumer/types';
import type { ProducerRecord, RecordMetadata } from '../producer/producer-record';
import { headerText, withHeader } from './record-headers';
import { formatTraceparent, parseTraceparent, TRACEPARENT } from './trace-context';

export interface KafkaRxInstrumentationOptions {
  /** Where spans go; the global provider (`trace.getTracerProvider()`) by default. */
  readonly tracerProvider?: TracerProvider;
  /** `messaging.consumer.group.name` of process spans (a processed record does not name its group). */
  readonly consumerGroup?: string;
}

const SCOPE = 'kafka-rx';

type SendTrace = ProduceSendTrace<ProducerRecord, RecordMetadata>;
type RecordTrace = ProcessTrace<ConsumerRecord>;

function keyText(key: Buffer | string | null | undefined): string | undefined {
  if (key === null || key === undefined) return undefined;
  return typeof key === 'string' ? key : key.toString('utf8');
}

function failed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/**
 * Makes OpenTelemetry spans from kafka-rx's diagnostics channels, after the messaging semantic
 * conventions: a PRODUCER span `send <topic>` per record of `producer.send()`, whose context is
 * written into the record's `traceparent` header, and a CONSUMER span `process <topic>` per
 * record handled by `processRecords`, child of the context its `traceparent` header names (and
 * linked to it), so that one trace runs from producer to consumer. Returns a function that stops.
 *
 * @example
 * import { instrumentKafkaRx } from 'kafka-rx/opentelemetry';
 * const stop = instrumentKafkaRx({ consumerGroup: 'billing' });
 */
export function instrumentKafkaRx(options: KafkaRxInstrumentationOptions = {}): () => void {
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = provider.getTracer(SCOPE);
  const sendSpans = new WeakMap<SendTrace, Span[]>();
  const processSpans = new WeakMap<RecordTrace, Span>();

  const sendStart = (message: unknown): void => {
    const send = message as SendTrace;
    const parent = context.active();
    const spans = send.records.map((record, i) => {
      const attributes: Attributes = {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': record.topic,
        'messaging.client.id': send.clientId,
      };
      const key = keyText(record.key);
      if (key !== undefined) attributes['messaging.kafka.message.key'] = key;
      if (record.partition !== undefined)
        attributes['messaging.destination.partition.id'] = String(record.partition);
      const span = tracer.startSpan(`send ${record.topic}`, { kind: SpanKind.PRODUCER, attributes }, parent);
      // The record sent is a copy with the header: the caller's record is left as it was.
      send.records[i] = {
        ...record,
        headers: withHeader(record.headers, TRACEPARENT, formatTraceparent(span.spanContext())),
      };
      return span;
    });
    sendSpans.set(send, spans);
  };

  const sendEnd = (message: unknown): void => {
    const send = message as SendTrace;
    const spans = sendSpans.get(send);
    if (spans === undefined) return;
    sendSpans.delete(send);
    spans.forEach((span, i) => {
      const metadata = send.result?.[i];
      if (metadata !== undefined) {
        span.setAttribute('messaging.destination.partition.id', String(metadata.partition));
        if (metadata.offset >= 0n) span.setAttribute('messaging.kafka.offset', Number(metadata.offset));
      }
      if (send.error !== undefined) failed(span, send.error);
      span.end();
    });
  };

  const processStart = (message: unknown): void => {
    const processing = message as RecordTrace;
    const record = processing.record;
    const sent = headerText(record.headers, TRACEPARENT);
    const remote = sent === undefined ? undefined : parseTraceparent(sent);
    const attributes: Attributes = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': record.topic,
      'messaging.destination.partition.id': String(record.partition),
      'messaging.kafka.offset': Number(record.offset),
    };
    const key = keyText(record.key);
    if (key !== undefined) attributes['messaging.kafka.message.key'] = key;
    if (options.consumerGroup !== undefined)
      attributes['messaging.consumer.group.name'] = options.consumerGroup;
    const span = tracer.startSpan(
      `process ${record.topic}`,
      { kind: SpanKind.CONSUMER, attributes, links: remote ? [{ context: remote }] : [] },
      remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : context.active(),
    );
    processSpans.set(processing, span);
  };

  const processEnd = (message: unknown): void => {
    const processing = message as RecordTrace;
    const span = processSpans.get(processing);
    if (span === undefined) return;
    processSpans.delete(processing);
    if (processing.error !== undefined) failed(span, processing.error);
    span.end();
  };

  channels.produceSend.start.subscribe(sendStart);
  channels.produceSend.asyncEnd.subscribe(sendEnd);
  channels.process.start.subscribe(processStart);
  channels.process.asyncEnd.subscribe(processEnd);
  return () => {
    channels.produceSend.start.unsubscribe(sendStart);
    channels.produceSend.asyncEnd.unsubscribe(sendEnd);
    channels.process.start.unsubscribe(processStart);
    channels.process.asyncEnd.unsubscribe(processEnd);
  };
}
