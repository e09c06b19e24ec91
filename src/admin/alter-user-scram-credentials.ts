import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { defer, map, type Observable } from 'rxjs';
import { KafkaRxError } from '../errors';
import type { RequestOf } from '../protocol/spec-types';
import { AlterUserScramCredentials } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { answerError } from './item-error';
import { retryItems } from './retry-items';
import { SCRAM_MECHANISM_CODES, type ScramMechanism } from './scram-mechanism';

/** Sets a user's password for a mechanism: only the salt and salted password leave the client. */
export interface ScramUpsertion {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly password: string;
  /** Default 4096, the least Kafka accepts. */
  readonly iterations?: number;
  /** Default: 32 random bytes. */
  readonly salt?: Buffer;
}

/** Removes a user's credential for a mechanism. */
export interface ScramDeletion {
  readonly user: string;
  readonly mechanism: ScramMechanism;
  readonly delete: true;
}

export interface AlterScramResult {
  readonly user: string;
  readonly error?: KafkaRxError;
}

const HASHES: Record<ScramMechanism, { hash: string; length: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', length: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', length: 64 },
};

/** SCRAM's Hi(password, salt, i) (RFC 5802), which is PBKDF2 with HMAC; the password as UTF-8, as Kafka takes it. */
function upsertion(u: ScramUpsertion): RequestOf<typeof AlterUserScramCredentials>['upsertions'][number] {
  const iterations = u.iterations ?? 4096;
  const salt = u.salt ?? randomBytes(32);
  const { hash, length } = HASHES[u.mechanism];
  return {
    name: u.user,
    mechanism: SCRAM_MECHANISM_CODES[u.mechanism],
    iterations,
    salt,
    saltedPassword: pbkdf2Sync(Buffer.from(u.password, 'utf8'), salt, iterations, length, hash),
  };
}

/**
 * AlterUserScramCredentials to any broker (forwarded to the controller): one result per change, in
 * order. Kafka answers per user, so two changes for the same user in one call share its answer.
 */
export function alterUserScramCredentials$(
  ctx: AdminContext,
  changes: ReadonlyArray<ScramUpsertion | ScramDeletion>,
): Observable<AlterScramResult[]> {
  const send = (batch: ReadonlyArray<ScramUpsertion | ScramDeletion>): Observable<AlterScramResult[]> =>
    defer(() => {
      for (const change of batch) {
        if (!(change.mechanism in SCRAM_MECHANISM_CODES))
          throw new KafkaRxError(
            'InvalidArgumentError',
            `unknown SCRAM mechanism ${JSON.stringify(change.mechanism)}`,
          );
      }
      const deletions = batch.filter((c): c is ScramDeletion => 'delete' in c);
      const upsertions = batch.filter((c): c is ScramUpsertion => !('delete' in c));
      return ctx.cluster.requestAny(
        AlterUserScramCredentials,
        {
          deletions: deletions.map((d) => ({ name: d.user, mechanism: SCRAM_MECHANISM_CODES[d.mechanism] })),
          upsertions: upsertions.map(upsertion),
        },
        requestOptions(ctx),
      );
    }).pipe(
      map((response) =>
        batch.map(({ user }) => {
          const answer = response.results.find((r) => r.user === user);
          const error = answerError(answer, `user ${JSON.stringify(user)}`);
          return error ? { user, error } : { user };
        }),
      ),
    );
  return retryItems(changes, send, ctx.retry);
}
