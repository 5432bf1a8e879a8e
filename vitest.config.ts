import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every file runs under the run-time read-only guard (test/setup/read-only-guard.ts).
    setupFiles: ['test/setup/read-only-guard.ts'],
    // The CLI tests spawn dist/cli.js: rebuild it first when the source is newer (also on watch-mode re-runs).
    globalSetup: ['test/setup/build.ts'],
    // CLI tests spawn the built binary; give a slow CI machine room.
    testTimeout: 30_000,
    // The SDK's Node 22 notice is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
