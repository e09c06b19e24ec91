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
    available: hasCommand('lz4'),
    compress: (data: Buffer) => pipe('lz4', ['-q', '-c'], data),
    decompress: (data: Buffer) => pipe('lz4', ['-q', '-d', '-c'], data),
  },
  zstd: {
    available: hasCommand('zstd'),
    compress: (data: Buffer) => pipe('zstd', ['-q', '-c'], data),
    decompress: (data: Buffer) => pipe('zstd', ['-q', '-d', '-c'], data),
  },
  snappy: {
    available: hasCommand('perl', ['-MCompress::Snappy', '-e', '1']),
    compress: (data: Buffer) => pipe('perl', ['-MCompress::Snappy', '-e', XERIAL_PERL], data),
    decompress: (data: Buffer) => pipe('perl', ['-MCompress::Snappy', '-e', XERIAL_PERL_DECODE], data),
  },
};
