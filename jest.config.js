/** Three tiers: unit (pure), integration (real PostgreSQL + Redis), e2e (booted app, real clients). */
const transform = { '^.+\\.(t|j)sx?$': '<rootDir>/test/support/jest-transform.js' };
// A project's own testTimeout is ignored by Jest; the tier's timeout is set by a setup file.
const tier = (timeoutMs) => ({
  globals: { TIER_TIMEOUT_MS: timeoutMs },
  setupFilesAfterEnv: ['<rootDir>/test/support/tier-timeout.js'],
});
const base = {
  transform,
  transformIgnorePatterns: [],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
  // Preact ships ES modules only (.mjs); the web components' unit tests load it through stand-ins.
  moduleNameMapper: {
    '^preact$': '<rootDir>/test/support/esm-as-cjs/preact.js',
    '^preact/hooks$': '<rootDir>/test/support/esm-as-cjs/preact-hooks.js',
    '^preact/jsx-runtime$': '<rootDir>/test/support/esm-as-cjs/preact-jsx-runtime.js',
  },
};
module.exports = {
  // Workers grow with every file they run (VM modules keep module graphs alive); recycle them.
  workerIdleMemoryLimit: '1500MB',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    {
      ...base,
      ...tier(30000),
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      ...tier(60000),
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      ...tier(120000),
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
    },
  ],
};
