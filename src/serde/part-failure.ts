import type { RecordPart } from './deserializer';

/**
 * How a (de)serialization error words its failure: the part (`key`, `value`, `header "name"`)
 * and the reason (the cause's message).
 */
export function partFailure(
  part: RecordPart,
  header: string | undefined,
  cause: unknown,
): { readonly what: string; readonly reason: string } {
  return {
    what: part === 'header' ? `header "${header}"` : part,
    reason: cause instanceof Error ? cause.message : String(cause),
  };
}
