/**
 * The fake AWS in a process of its own, driven over IPC by the benchmarks
 * (bench/scan.mjs), so the server's work never competes with the scan's on
 * one thread. Messages: { id, cmd, arg } → { id, result }.
 *   setFaults(spec)  a declarative fault spec (server.mjs, faultsFromSpec)
 *   setLatency(ms), reset(), counts(), faultCounts(), peaks(),
 *   foreignSnapshotsSent(), describeKeyCounts(), close()
 */
import { buildOrg } from './org.mjs';
import { faultsFromSpec, startFakeAws } from './server.mjs';

const fake = await startFakeAws({ org: buildOrg() });
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
