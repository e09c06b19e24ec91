import { execFileSync } from 'node:child_process';

/** Whether `command --version` runs: the outside codec tools are Debian packages. */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether this run is CI's (`CI` set, as CI services and .ci/run set it). */
export const inCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false';

/** An outside program a test checks kafka-rx against. */
export interface OutsideTool {
  readonly name: string;
  readonly available: boolean;
}

function missing(tool: OutsideTool): never {
  throw new Error(
    `missing outside tool: ${tool.name}; in CI every outside reference must run (scripts/setup.sh installs it)`,
  );
}

/**
 * `it` when the tool is installed. Without it: `it.skip` on a developer's machine, but in CI a
 * test that fails naming the tool, since these tools are the only outside references for their
 * codecs and a skip would pass unnoticed.
 */
export function itWith(tool: OutsideTool): jest.It {
  if (tool.available) return it;
  if (!inCi) return it.skip;
  return ((name: string) => it(name, () => missing(tool))) as unknown as jest.It;
}

/** `describe` when the tool is installed; else as `itWith`: skipped locally, one failing test in CI. */
export function describeWith(tool: OutsideTool): jest.Describe {
  if (tool.available) return describe;
  if (!inCi) return describe.skip;
  return ((name: string) =>
    describe(name, () => it(`needs ${tool.name}`, () => missing(tool)))) as unknown as jest.Describe;
}

/** The tool, checked: in CI a missing one throws (the test using it fails) instead of being left out. */
export function required(tool: OutsideTool): boolean {
  if (!tool.available && inCi) missing(tool);
  return tool.available;
}

/** `command` (checked with `args`) as an outside tool. */
export function tool(command: string, args?: string[], name = command): OutsideTool {
  return { name, available: hasCommand(command, args) };
}

/** Runs `command args` with `input` on standard input; returns standard output. */
export function pipe(command: string, args: string[], input: Buffer): Buffer {
  return execFileSync(command, args, { input, maxBuffer: 1 << 26 });
}

const XERIAL_PERL =
  'local $/; my $d = <STDIN>; print "\\x82SNAPPY\\x00", pack("NN", 1, 1); ' +
  'for (my $i = 0; $i < length($d); $i += 32768) { my $c = Compress::Snappy::compress(substr($d, $i, 32768)); print pack("N", length($c)), $c }';

const XERIAL_PERL_DECODE =
  'local $/; my $d = <STDIN>; my $p = 16; ' +
  'while ($p < length($d)) { my $n = unpack("N", substr($d, $p, 4)); print Compress::Snappy::decompress(substr($d, $p + 4, $n)); $p += 4 + $n }';

/** Outside codecs: the lz4 and zstd CLIs, and libsnappy through Perl in the xerial framing. */
export const outside = {
  lz4: {
    name: 'lz4',
    available: hasCommand('lz4'),
    compress: (data: Buffer) => pipe('lz4', ['-q', '-c'], data),
    decompress: (data: Buffer) => pipe('lz4', ['-q', '-d', '-c'], data),
  },
  zstd: {
    name: 'zstd',
    available: hasCommand('zstd'),
    compress: (data: Buffer) => pipe('zstd', ['-q', '-c'], data),
    decompress: (data: Buffer) => pipe('zstd', ['-q', '-d', '-c'], data),
  },
  snappy: {
    name: 'the Compress::Snappy Perl module',
    available: hasCommand('perl', ['-MCompress::Snappy', '-e', '1']),
    compress: (data: Buffer) => pipe('perl', ['-MCompress::Snappy', '-e', XERIAL_PERL], data),
    decompress: (data: Buffer) => pipe('perl', ['-MCompress::Snappy', '-e', XERIAL_PERL_DECODE], data),
  },
};
