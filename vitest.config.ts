import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/nvflare/ needs a real NVFlare runtime: `npm run test:nvflare` (vitest.nvflare.config.ts)
    exclude: [...configDefaults.exclude, 'test/nvflare/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
