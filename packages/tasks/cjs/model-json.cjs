'use strict';
// The `require` entry of @vib/tasks/model-json. The package is ESM-only: Node.js versions that can require() an
// ES module (20.19+, 22.12+) get the very same module instance as `import` does (no second copy);
// anything else gets an error that says how to load it.
const canRequireEsm = typeof process !== 'undefined' && Boolean(process.features && process.features.require_module);
if (!canRequireEsm) {
  throw new Error(
    '@vib/tasks/model-json is ESM-only: use import { ... } from "@vib/tasks/model-json" in an ES module, or await import("@vib/tasks/model-json") from CommonJS ' +
      '(or run Node.js 20.19+ / 22.12+, which can require() ES modules)',
  );
}
module.exports = require('../dist/model-json.js');
