// Preload that samples a Node process's CPU and writes `<C2M_PROFILE_DIR>/<pid>.cpuprofile` on exit
// (open it in Chrome DevTools). Node refuses --cpu-prof in NODE_OPTIONS; this reaches every process
// the bench starts, the worker included:
//   C2M_PROFILE_DIR=/tmp/prof NODE_OPTIONS="--import ./bench/cpu-profile.mjs" npm run bench -- --only fanout --runs 1
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env.C2M_PROFILE_DIR ?? 'profiles';
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.start');
let written = false;
const write = () => {
  if (written) return;
  written = true;
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
};
process.on('exit', write);
for (const signal of ['SIGTERM', 'SIGINT']) process.prependListener(signal, write);
