import type { Outcome } from '../../examples/work-queue';
import type { ShareRecord } from '../../src';

/** The jobs both work-queue tests queue: four that succeed, one that fails once, one that always fails. */
export const JOBS = ['ok-1', 'ok-2', 'flaky-1', 'ok-3', 'hopeless', 'ok-4'];

/** The handler for JOBS: `flaky-1` fails on its first delivery, `hopeless` on every one. */
export async function failSomeJobs(job: ShareRecord): Promise<void> {
  const name = job.value?.toString();
  if (name === 'hopeless' || (name === 'flaky-1' && job.deliveryCount === 1)) throw new Error('failed');
}

/** Each job's outcome with its deliveries: `done#2`. */
export function outcomesByJob(outcomes: readonly Outcome[]): Record<string, string> {
  return Object.fromEntries(outcomes.map((o) => [o.job, `${o.outcome}#${o.deliveries}`]));
}

/** How JOBS end when the handler is failSomeJobs and a job has 3 deliveries at most (the example's default). */
export const JOB_OUTCOMES = {
  'ok-1': 'done#1',
  'ok-2': 'done#1',
  'flaky-1': 'done#2',
  'ok-3': 'done#1',
  hopeless: 'dead-lettered#3',
  'ok-4': 'done#1',
};
