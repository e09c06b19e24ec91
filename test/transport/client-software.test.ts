import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from '../../src/transport/client-software';

describe('client software name and version (ApiVersions v3)', () => {
  it('match package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(CLIENT_SOFTWARE_NAME).toBe(pkg.name);
    expect(CLIENT_SOFTWARE_VERSION).toBe(pkg.version);
  });

  it('are valid per KIP-511 (alphanumerics, dots and dashes, starting and ending alphanumeric)', () => {
    const valid = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;
    expect(CLIENT_SOFTWARE_NAME).toMatch(valid);
    expect(CLIENT_SOFTWARE_VERSION).toMatch(valid);
  });
});
