// The layering of src/: each folder is one layer and may import only from its own layer or the
// ones below it. Kept apart from eslint.config.mjs so a test can lint a deliberately bad fixture
// tree with exactly the rules the project uses (src/layering.spec.ts).
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Top to bottom. Folders on one line share a layer and must not import each other either. */
export const LAYERS = [
  ['cli'],
  ['testing'],
  ['app'],
  ['http', 'replicas'],
  ['runtime'],
  ['state'],
  ['decorators'],
  ['codec'],
  ['model'],
  ['transport'],
  ['options'],
  ['errors', 'clock', 'logging', 'telemetry'],
];

/** Inside state/: stores host windowed engines; the files at state/ itself serve all three. */
const STATE_ZONES = [
  { target: 'state/windows', from: ['state/stores', 'state/tables'] },
  { target: 'state/tables', from: ['state/stores', 'state/windows'] },
  { target: 'state/*.ts', from: ['state/stores', 'state/tables', 'state/windows'] },
];

function zones(root) {
  const result = [];
  LAYERS.forEach((layer, index) => {
    const above = LAYERS.slice(0, index).flat();
    for (const folder of layer) {
      const peers = layer.filter((other) => other !== folder);
      const from = [...above, ...peers];
      if (from.length === 0) continue;
      result.push({
        target: `${root}/${folder}`,
        from: from.map((f) => `${root}/${f}`),
        message: `src/${folder} sits below ${from.join(', ')} in the layering (CONTRIBUTING.md): move the shared code down instead of importing upward.`,
      });
    }
  });
  for (const zone of STATE_ZONES) {
    result.push({
      target: `${root}/${zone.target}`,
      from: zone.from.map((f) => `${root}/${f}`),
      message: `inside src/state, stores may use windows, and the files at src/state/ serve all three: ${zone.target} must not import ${zone.from.join(', ')}.`,
    });
  }
  return result;
}

/** The layering rules for the source tree at `root` (a path relative to the lint's cwd). */
export function layering(root, tsconfig) {
  return {
    files: [`${root}/**/*.ts`],
    // Specs test behaviour through the whole stack (TestBed, an app), so only production code is held
    // to the layering; cycles are refused everywhere.
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle parses the files it follows; without these it silently sees no imports in .ts files.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: tsconfig })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: zones(root) }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  };
}

/** Specs may reach any layer: they drive behaviour through TestBed and the app. */
export function specsMayClimb(root) {
  return {
    files: [`${root}/**/*.spec.ts`],
    rules: { 'import-x/no-restricted-paths': 'off' },
  };
}
