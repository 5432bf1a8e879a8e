// Loaded with `node --import` by the start-up test: records every module URL
// the process resolves into the file named by ATREST_TRACE_FILE.
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
