// Preloaded by bench/evaluate.mjs (node --require): prints the process's peak
// RSS on stderr when it exits. resourceUsage().maxRSS is in kilobytes.
process.on('exit', () => process.stderr.write(`\nbench-peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
