import type { Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { IncrementalAlterConfigs } from '../protocol/specs';
import type { AdminContext } from './admin-context';
import { RESOURCE_TYPE_CODES, type ConfigResource } from './config-resource';
import { resourceAnswer } from './resource-answer';
import { perResourceBroker } from './resource-requests';
import { retryItems } from './retry-items';

/** KIP-339's operations: set a value, delete it (back to the default), append to or subtract from a list. */
export type AlterConfigOp = 'set' | 'delete' | 'append' | 'subtract';

const OPS: Record<AlterConfigOp, number> = { set: 0, delete: 1, append: 2, subtract: 3 };

export interface ConfigChange {
  readonly name: string;
  /** Default `'set'`. */
  readonly op?: AlterConfigOp;
  /** Not needed for `'delete'`. */
  readonly value?: string | null;
}

export interface AlterConfigsRequest extends ConfigResource {
  readonly changes: readonly ConfigChange[];
}

export interface AlterConfigsResult extends ConfigResource {
  readonly error?: KafkaRxError;
}

function answers(
  response: ResponseOf<typeof IncrementalAlterConfigs>,
  batch: readonly AlterConfigsRequest[],
): AlterConfigsResult[] {
  return batch.map(({ type, name }) => {
    const { error } = resourceAnswer(response.responses, { type, name });
    return error ? { type, name, error } : { type, name };
  });
}

/**
 * IncrementalAlterConfigs: changes single configs of resources, leaving the others as they are.
 * Each broker's own resources go to that broker, the rest to any broker. One result per resource.
 */
export function incrementalAlterConfigs$(
  ctx: AdminContext,
  resources: readonly AlterConfigsRequest[],
  options: { readonly validateOnly?: boolean } = {},
): Observable<AlterConfigsResult[]> {
  const body = (batch: readonly AlterConfigsRequest[]): RequestOf<typeof IncrementalAlterConfigs> => ({
    resources: batch.map((r) => ({
      resourceType: RESOURCE_TYPE_CODES[r.type],
      resourceName: r.name,
      configs: r.changes.map((c) => ({
        name: c.name,
        configOperation: OPS[c.op ?? 'set'],
        value: c.value ?? null,
      })),
    })),
    validateOnly: options.validateOnly ?? false,
  });
  return retryItems(
    resources,
    (batch) => perResourceBroker(ctx, batch, IncrementalAlterConfigs, body, answers),
    ctx.retry,
  );
}
