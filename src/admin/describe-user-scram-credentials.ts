import { map, type Observable } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { DescribeUserScramCredentials } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';
import { scramMechanismName, type ScramMechanism } from './scram-mechanism';

export interface UserScramCredentials {
  readonly user: string;
  /** The mechanisms the user has a credential for, with their iteration counts. */
  readonly credentials: ReadonlyArray<{
    readonly mechanism: ScramMechanism | 'UNKNOWN';
    readonly iterations: number;
  }>;
  readonly error?: KafkaRxError;
}

/**
 * DescribeUserScramCredentials to any broker: the users' SCRAM mechanisms and iteration counts
 * (all users with credentials when `users` is left out). An unknown user gets RESOURCE_NOT_FOUND.
 */
export function describeUserScramCredentials$(
  ctx: AdminContext,
  users?: readonly string[],
): Observable<UserScramCredentials[]> {
  return ctx.cluster
    .requestAny(
      DescribeUserScramCredentials,
      { users: users ? users.map((name) => ({ name })) : null },
      requestOptions(ctx),
    )
    .pipe(
      map((response) => {
        const error = itemError(response.errorCode, 'DescribeUserScramCredentials', response.errorMessage);
        if (error) throw error;
        const results = response.results.map((r): UserScramCredentials => {
          const userError = itemError(r.errorCode, `user ${JSON.stringify(r.user)}`, r.errorMessage);
          const credentials = r.credentialInfos.map((c) => ({
            mechanism: scramMechanismName(c.mechanism),
            iterations: c.iterations,
          }));
          return { user: r.user, credentials, ...(userError ? { error: userError } : {}) };
        });
        if (!users) return results.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
        return users.map(
          (user) =>
            results.find((r) => r.user === user) ?? {
              user,
              credentials: [],
              error: itemError(-1, `user ${JSON.stringify(user)}`, 'no answer for this user'),
            },
        );
      }),
    );
}
