import { isSpanContextValid, TraceFlags, type SpanContext } from '@opentelemetry/api';

/** The record header that carries a W3C trace context (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT = 'traceparent';

/** A span context as a `traceparent` value: version 00, trace id, parent (span) id, flags. */
export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The remote span context a `traceparent` value names, or undefined for a value that is not one
 * (version ff, all-zero ids, or a version 00 value with more fields are invalid, as the spec says).
 */
export function parseTraceparent(value: string): SpanContext | undefined {
  const match = TRACEPARENT_FORMAT.exec(value.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
}
