import { defineConfig } from 'vitest/config';

/**
 * The E2E suite against the lab (`npm run test:e2e`, or scripts/e2e.sh which brings the lab up and
 * builds first): real cdktf-cli + OpenTofu deploys to the two loopback OpenStack clouds of `lab/`.
 * Test files run one after the other in a single process (the lab is shared and has 2 cores), each
 * test with a generous timeout (a deploy takes 1–3 minutes there).
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false, shuffle: false },
    testTimeout: 900_000,
    hookTimeout: 1_200_000,
    reporters: ['verbose'],
    retry: 0,
  },
});
