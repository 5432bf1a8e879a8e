/**
 * The fake AWS in a process of its own, driven over IPC by the benchmarks
 * (bench/scan.mjs), so the server's work never competes with the scan's on
 * one thread. Messages: { id, cmd, arg } → { id, result }.
 *   setFaults(spec)  a declarative fault spec (server.mjs, faultsFromSpec)
 *   setLatency(ms), reset(), counts(), faultCounts(), peaks(),
 *   foreignSnapshotsSent(), describeKeyCounts(), close()
 */
import { BENCH_TOTALS, buildOrg } from './org.mjs';
import { faultsFromSpec, startFakeAws } from './server.mjs';

// argv[2]: the organisation is BENCH_TOTALS divided by this (1: the benchmark's own).
const scale = Number(process.argv[2] ?? 1) || 1;
const totals = Object.fromEntries(Object.entries(BENCH_TOTALS).map(([k, v]) => [k, Math.ceil(v / scale)]));
const fake = await startFakeAws({ org: buildOrg({ totals }) });
process.on('message', async ({ id, cmd, arg }) => {
  let result = null;
  switch (cmd) {
    case 'setFaults':
      fake.setFaults(faultsFromSpec(arg));
      break;
    case 'setLatency':
      fake.setLatency(arg);
      break;
    case 'reset':
      fake.reset();
      break;
    case 'close':
      await fake.close();
      process.send({ id, result: null }, () => process.exit(0));
      return;
    default:
      result = fake[cmd]();
  }
  process.send({ id, result });
});
process.send({ ready: true, endpoint: fake.endpoint });
