/**
 * The fault-injection suite (`npm run test:chaos`): the `*.chaos-spec.ts` files under
 * test/chaos, kept apart from `npm test` because they kill brokers and processes and take
 * minutes. It reuses the root configuration's integration project (transform, module
 * mapping to the library sources). Files run one at a time: each scenario times its
 * recovery, which a neighbour loading the same two cores would distort.
 */
const root = require('../../jest.config.js');

const integration = root.projects.find((project) => project.displayName === 'integration');
if (!integration) throw new Error('jest.config.js has no "integration" project to build the chaos suite on');

module.exports = {
  ...integration,
  displayName: 'chaos',
  testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
  reporters: root.reporters,
  globalSetup: '<rootDir>/test/chaos/global-setup.js',
  globalTeardown: '<rootDir>/test/chaos/global-teardown.js',
};
