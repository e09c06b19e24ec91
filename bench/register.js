'use strict';
// Lets `node --require ./bench/register.js bench/<name>.ts` run TypeScript: each .ts file is
// compiled to CommonJS by @swc/core (a dev dependency already used by jest) as it is required.
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
