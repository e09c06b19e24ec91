/**
 * A status line that keeps up with a running command. On a terminal it is one line rewritten in
 * place (`\r`, then erase to the end of the line), with notes printed above it; elsewhere (a
 * pipe, a log file) every update is a line of its own.
 */
export interface ProgressLine {
  /** Shows the current status. */
  update(text: string): void;
  /** Prints a line that stays (an event worth keeping in the scroll-back). */
  note(text: string): void;
  /** Leaves the last status on screen and moves below it. */
  end(): void;
}

const ERASE_TO_END = '\x1b[K';

/** A `ProgressLine` on `out`; `tty` decides between rewriting one line and printing many. */
export function progressLine(out: NodeJS.WritableStream, tty: boolean): ProgressLine {
  let shown: string | null = null;
  if (!tty) {
    return {
      update: (text) => void out.write(`${text}\n`),
      note: (text) => void out.write(`${text}\n`),
      end: () => undefined,
    };
  }
  return {
    update(text) {
      shown = text;
      out.write(`\r${text}${ERASE_TO_END}`);
    },
    note(text) {
      out.write(`\r${text}${ERASE_TO_END}\n${shown ?? ''}`);
    },
    end() {
      if (shown !== null) out.write('\n');
      shown = null;
    },
  };
}
