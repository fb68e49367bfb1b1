import { defineConfig } from 'vitest/config'

/**
 * `npm run test:nvflare`: the opt-in integration test on a real NVFlare runtime (test/nvflare/).
 * `npm test` never runs it (vitest.config.ts excludes the folder). Env vars: see test/nvflare/config.ts.
 */
export default defineConfig({
  test: {
    include: ['test/nvflare/**/*.test.ts'],
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['verbose'],
  },
})
