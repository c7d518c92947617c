/** Three tiers: unit (pure), integration (real PostgreSQL + Redis), e2e (booted app, real clients). */
const transform = { '^.+\\.(t|j)s$': '<rootDir>/test/support/jest-transform.js' };
// A project's own testTimeout is ignored by Jest; the tier's timeout is set by a setup file.
const tier = (timeoutMs) => ({
  globals: { TIER_TIMEOUT_MS: timeoutMs },
  setupFilesAfterEnv: ['<rootDir>/test/support/tier-timeout.js'],
});
const base = {
  transform,
  transformIgnorePatterns: [],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
};
module.exports = {
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
