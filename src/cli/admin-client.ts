import { createAdmin, type Admin } from '../admin';
import type { Connection } from './client-settings';

/** The admin client of a command: few retries, since someone is waiting at the terminal. */
export function adminClient(connection: Connection): Admin {
  return createAdmin({ ...connection, retries: 2 });
}
