import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    // No test may reach real AWS or the EC2 metadata endpoint (see the file).
    setupFiles: ['test/setup/no-aws-network.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // e2e and PostgreSQL suites share ports and databases; files run in parallel, tests inside a file in order.
    pool: 'forks',
    maxWorkers: 2,
  },
});
