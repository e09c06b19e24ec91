/**
 * A pass that whatever may have become sendable (a new record, a response, room freed, a timer)
 * asks for. `drainLoop(pass, settled)` returns the function to call: it runs `pass` at once, and a
 * call made while a pass runs (from inside it: a synchronous answer, a callback, the pass itself
 * asking for more) runs one more pass right after that one, however many such calls came. The
 * passes run in a loop, never by recursion, so thousands of wake-ups in one go cannot overflow the
 * stack; and on the caller's stack, never on a scheduler, so a send is placed before `send()`
 * returns. `settled` runs once the loop has nothing more to do.
 *
 * Why not a Subject of wake-ups with an operator: `Subject.next()` from inside a subscriber
 * re-enters it synchronously (recursion), and trampolining through `queueScheduler` shares one
 * global queue with any other work on it, which may run a pass late, after work it used to precede.
 */
export function drainLoop(pass: () => void, settled: () => void = () => undefined): () => void {
  let running = false;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        pass();
      } while (again);
    } finally {
      running = false;
    }
    settled();
  };
}
