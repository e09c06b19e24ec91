import { performance } from 'node:perf_hooks';

/**
 * Polls `check` every 20 ms (wall clock: these tests talk to real brokers) until it is true;
 * rejects with `timed out waiting for <what>` after `timeoutMs`.
 */
export function waitUntil(what: string, check: () => boolean, timeoutMs = 30000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (performance.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 20);
  });
}
