// Loaded with `node --import` by test/cli/policy-cli.test.ts: makes any import of an
// AWS SDK service client fail, to prove a command never loads one.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
