import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodesPath } from '../../scripts/error-codes';

// src/protocol/error-codes.ts is written by scripts/error-codes.ts from Kafka's errors.json;
// regenerating it must change nothing, and the script's --check must notice a hand edit.
const root = join(__dirname, '..', '..');

function check(out: string) {
  return spawnSync(
    process.execPath,
    ['--require', './bench/register.js', 'scripts/error-codes.ts', '--check', '--out', out],
    { cwd: root, encoding: 'utf8' },
  );
}

describe('the generated error table', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'error-codes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what scripts/error-codes.ts generates from errors.json', () => {
    const result = check(errorCodesPath);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails the check once a row is edited by hand', () => {
    const edited = join(dir, 'error-codes.ts');
    const text = readFileSync(errorCodesPath, 'utf8');
    const changed = text.replace("[16, 'NOT_COORDINATOR', true,", "[16, 'NOT_COORDINATOR', false,");
    expect(changed).not.toBe(text);
    writeFileSync(edited, changed);
    const result = check(edited);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('regenerate');
  });
});
