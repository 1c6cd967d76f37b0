import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` brings up a real box (root, namespaces,
// sshd, dockerd) once for the whole run and tears it down afterwards, also on failure.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          // The fault suite (test/faults) injects faults into the same box.
          include: ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
