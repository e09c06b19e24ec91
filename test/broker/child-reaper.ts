/**
 * Last-resort cleanup for processes the harness starts. A test that throws
 * before calling stop() must not leave brokers or group members behind, so
 * every live child is killed when this process exits. (Children also watch
 * their stdin and exit on EOF, which covers a parent killed by a signal.)
 */
const live = new Map<number, boolean>(); // pid -> is a process group leader

let hooked = false;

function killAll(): void {
  for (const [pid, group] of live) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

export function track(pid: number, processGroup = false): void {
  if (!hooked) {
    process.once('exit', killAll);
    hooked = true;
  }
  live.set(pid, processGroup);
}

export function untrack(pid: number): void {
  live.delete(pid);
}
