// Four test tiers, one Jest project each:
//   unit         every *.spec.ts that is not *.int.spec.ts, outside test/contract and
//                test/faults (src/, examples/, test/, bench/); no broker
//   contract     test/contract on the in-memory transport; no broker
//   integration  every *.int.spec.ts outside test/faults (the Kafka contract suite too): a real
//                broker and a real schema registry
//   faults       test/faults: killed instances, a restarted broker and a node of a three-node
//                cluster killed (both started by the tests), on a real broker
//   secured      test/secured: a second broker with SASL logins and ACLs (KAFKA_SECURED_BROKERS)
//   e2e          test/e2e: the packed package as a user installs it (npm pack, npm install from
//                the registry); no broker, but minutes of npm and tsc
// The broker tiers have a global setup that fails the whole run when KAFKA_BROKERS (and, for
// integration, SCHEMA_REGISTRY_URL; for integration and faults, STREAMWISE_PG_URL) are unset or do
// not answer: a tier either runs or fails the run, it is never quietly skipped. `npm run test:all`
// starts a broker, a registry and PostgreSQL, points those variables at them and runs every tier.
//
// STREAMWISE_TIERS=unit,contract (what `npm test` sets) runs only those tiers. The npm scripts
// use it rather than --selectProjects because that option's list would swallow the test paths
// given after it (`npm test -- src/app`); --selectProjects still works on the command line.
const INTEGRATION = '\\.int\\.spec\\.ts$';
// Packages that ship only ES modules, which Jest cannot require() on Node 20: they are compiled
// to CommonJS by test/support/esm-to-cjs-transform.js (the second Kafka client and its ESM deps).
const ESM_ONLY = [
  '@platformatic/kafka',
  '@platformatic/dynamic-buffer',
  '@platformatic/wasm-utils',
];
// PGlite ships CommonJS, but it loads Node's own modules (fs, zlib, …) with import(), which Jest's
// module loader refuses without --experimental-vm-modules: the same compile turns them into require().
const DYNAMIC_IMPORTS = ['@electric-sql/pglite'];

/** @type {import('jest').Config} */
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each.ts'],
  testTimeout: 30_000,
  transform: {
    '^.+\\.tsx?$': 'ts-jest',
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]:
      '<rootDir>/test/support/esm-to-cjs-transform.js',
    [`/node_modules/(${DYNAMIC_IMPORTS.join('|')})/.+\\.cjs$`]:
      '<rootDir>/test/support/esm-to-cjs-transform.js',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${[...ESM_ONLY, ...DYNAMIC_IMPORTS].join('|')})/)`],
};

/** @type {import('jest').Config[]} */
const tiers = [
  {
    ...shared,
    displayName: 'unit',
    roots: ['<rootDir>/src', '<rootDir>/examples', '<rootDir>/test', '<rootDir>/bench'],
    testMatch: ['**/*.spec.ts'],
    testPathIgnorePatterns: [
      '/node_modules/',
      INTEGRATION,
      '<rootDir>/test/contract/',
      '<rootDir>/test/faults/',
      '<rootDir>/test/secured/',
      '<rootDir>/test/e2e/',
    ],
  },
  {
    ...shared,
    displayName: 'contract',
    roots: ['<rootDir>/test/contract'],
    testMatch: ['**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', INTEGRATION],
  },
  {
    ...shared,
    displayName: 'integration',
    roots: ['<rootDir>/src', '<rootDir>/examples', '<rootDir>/test/contract'],
    testMatch: ['**/*.int.spec.ts'],
    globalSetup: '<rootDir>/test/support/integration-setup.ts',
  },
  {
    ...shared,
    displayName: 'faults',
    roots: ['<rootDir>/test/faults'],
    testMatch: ['**/*.spec.ts'],
    globalSetup: '<rootDir>/test/support/faults-setup.ts',
  },
  {
    ...shared,
    displayName: 'secured',
    roots: ['<rootDir>/test/secured'],
    testMatch: ['**/*.spec.ts'],
    globalSetup: '<rootDir>/test/support/secured-setup.ts',
  },
  {
    ...shared,
    displayName: 'e2e',
    roots: ['<rootDir>/test/e2e'],
    testMatch: ['**/*.spec.ts'],
  },
];

function selectedTiers() {
  const names = (process.env.STREAMWISE_TIERS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return tiers;
  const known = tiers.map((tier) => tier.displayName);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `STREAMWISE_TIERS names unknown tier(s) ${unknown.join(', ')}; the tiers are ${known.join(', ')}.`,
    );
  }
  return tiers.filter((tier) => names.includes(tier.displayName));
}

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30_000,
  projects: selectedTiers(),
};
