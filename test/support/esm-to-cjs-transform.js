// Jest runs the suites as CommonJS, and Jest's own module loader cannot require() an ES module on
// Node 20 (Node itself can, from 20.19: what a built application does). @platformatic/kafka and
// two of its dependencies ship only ES modules, so Jest compiles them to CommonJS here. import.meta
// has no CommonJS form: its one use in these packages (import.meta.url) becomes the file's URL, and
// `const require = createRequire(import.meta.url)` goes, as the module's own require does the same.
// PGlite's CommonJS build comes here for its import() calls (see jest.config.js); its Emscripten
// loader's `var require = createRequire(…)` goes too: hoisted, it would hide the require that the
// compiled import("node:module") itself calls.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

/** A change to this file must invalidate what Jest cached from it. */
const OWN_SOURCE = readFileSync(__filename, 'utf8');
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const OWN_REQUIRE = /\bconst require = createRequire\(import\.meta\.url\);?/g;
const EMSCRIPTEN_REQUIRE =
  /\blet\{createRequire:(\w+)\}=await import\("node:module"\);var require=\1\(\w+\)/g;

module.exports = {
  process(source, filename) {
    const withUrl = source
      .replace(OWN_REQUIRE, '')
      .replace(EMSCRIPTEN_REQUIRE, '')
      .replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href");
    const { outputText } = ts.transpileModule(withUrl, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: true,
      },
    });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(`${OWN_SOURCE}\0${filename}\0${source}`).digest('hex');
  },
};
