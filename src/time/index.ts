export { type Clock, defaultClock, now } from './clock';
