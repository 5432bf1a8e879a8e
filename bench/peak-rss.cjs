// Preloaded by bench/evaluate.mjs (node --require): prints the process's peak
// RSS and CPU time on stderr when it exits. resourceUsage().maxRSS is in
// kilobytes; cpuUsage() in microseconds (user + system, all threads, GC included).
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nbench-peak-rss-kb ${process.resourceUsage().maxRSS} bench-cpu-us ${cpu.user + cpu.system}\n`);
});
