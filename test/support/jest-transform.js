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
    const isTs = filename.endsWith('.ts');
    if (!isTs && (!filename.includes('node_modules') || !ESM.test(source))) return { code: source };
    const parser = isTs ? swcrc.jsc.parser : { syntax: 'ecmascript', importAttributes: true };
    const { code, map } = transformSync(source, {
      ...swcrc,
      jsc: { ...swcrc.jsc, parser },
      filename,
      swcrc: false,
      sourceMaps: true,
      module: { type: 'commonjs', importInterop: isTs ? 'swc' : 'node' },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('v2').update(filename).update(source).digest('hex');
  },
};
