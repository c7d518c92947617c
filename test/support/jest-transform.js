/*
 * Jest transform: TypeScript through swc, and ES-module-only packages in node_modules (NestJS 12
 * ships ESM only) down to CommonJS, since Jest on Node 20 cannot require() ES modules.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { transformSync } = require('@swc/core');
const crypto = require('crypto');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8'));
delete swcrc.$schema;
const ESM = /^\s*(import\s*[\w{*'"]|export\s)/m;

module.exports = {
  process(source, filename) {
    // Jest loads any .mjs as an ES module, which require() cannot; Preact 11 ships only .mjs. A
    // stand-in file under test/support/esm-as-cjs names the module whose source it compiles to.
    const stand = /^\/\/ @esm-source (\S+)/.exec(source);
    if (stand) {
      // (minified: `export{` needs no space, so ESM below would miss it)
      filename = path.join(__dirname, '../..', stand[1]);
      source = fs.readFileSync(filename, 'utf8');
    }
    const isTsx = filename.endsWith('.tsx');
    const isTs = isTsx || filename.endsWith('.ts');
    if (!isTs && !stand && (!filename.includes('node_modules') || !ESM.test(source)))
      return { code: source };
    const parser = isTs
      ? { ...swcrc.jsc.parser, tsx: isTsx }
      : { syntax: 'ecmascript', importAttributes: true };
    // The web app's components, for their unit tests: JSX as web/tsconfig.json compiles it.
    const transform = isTsx
      ? { ...swcrc.jsc.transform, react: { runtime: 'automatic', importSource: 'preact' } }
      : swcrc.jsc.transform;
    const { code, map } = transformSync(source, {
      ...swcrc,
      jsc: { ...swcrc.jsc, parser, transform },
      filename,
      swcrc: false,
      sourceMaps: true,
      module: { type: 'commonjs', importInterop: isTs ? 'swc' : 'node' },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('v4').update(filename).update(source).digest('hex');
  },
};
