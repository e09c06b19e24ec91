import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of a README shell block: the kafka-rx arguments, and what is piped into it. */
export interface ReadmeCommand {
  readonly line: string;
  readonly argv: string[];
  readonly stdin: string;
}

/** Shell words: plain or single-quoted (as the README writes them), up to a `#` comment. */
function words(text: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(#.*$)|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[2] !== undefined) break;
    out.push(m[1] ?? m[3]);
  }
  return out;
}

/** What `printf 'FORMAT'` or `echo WORDS` writes (the README uses only `\n` escapes). */
function piped(command: string[]): string {
  const [name, ...args] = command;
  if (name === 'printf') return args[0].replace(/\\n/g, '\n');
  if (name === 'echo') return `${args.join(' ')}\n`;
  throw new Error(`the README pipes from ${name}, which this reader does not know`);
}

/** The commands of the README's `sh` block that follows the line starting with `after`. */
export function readmeCommands(after: string): ReadmeCommand[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').split('\n');
  const at = readme.findIndex((l) => l.startsWith(after));
  const open = readme.findIndex((l, i) => i > at && l === '```sh');
  const close = readme.findIndex((l, i) => i > open && l === '```');
  if (at < 0 || open < 0 || close < 0) throw new Error(`no sh block after "${after}" in the README`);
  return readme.slice(open + 1, close).map((line) => {
    const [source, command] = line.includes(' | ') ? line.split(' | ') : [undefined, line];
    const [program, ...argv] = words(command);
    if (program !== 'kafka-rx') throw new Error(`not a kafka-rx command: ${line}`);
    return { line, argv, stdin: source === undefined ? '' : piped(words(source)) };
  });
}
