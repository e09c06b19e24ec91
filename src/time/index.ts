export { type Backoff, backoffMs } from './backoff';
export { type Clock, defaultClock, now } from './clock';
