import { defineConfig } from 'vitest/config';
export default defineConfig({
  resolve: { mainFields: ['module', 'main'] },
  ssr: { resolve: { mainFields: ['module', 'main'] } } as never,
  test: {
    include: ['tests/unit/**/*.test.ts'],
    server: { deps: { inline: [/@tensorflow/] } },
  },
});
