// Child process for the store tests: `writer.ts <file> <runs> <epochs> [hang]` writes runs as fast as it can
// and prints the elapsed milliseconds; with `hang` it starts one run, prints its id and waits to be killed.
import { RunStore } from '../src/run-store.js';

const [file, runsArg, epochsArg, mode] = process.argv.slice(2);
const store = RunStore.open(file!);
if (mode === 'hang') {
  const id = store.startRun({ command: 'train', argv: ['train'], tags: { who: 'hang' } });
  store.logEpoch(id, 1, { loss: 1 });
  process.stdout.write(`${id}\n`);
  setInterval(() => {}, 1000);
} else {
  const t0 = performance.now();
  for (let r = 0; r < Number(runsArg); r++) {
    const id = store.startRun({ command: 'train', argv: ['train', String(r)], config: { beta: r }, beta: r, tags: { writer: String(process.pid) } });
    for (let e = 1; e <= Number(epochsArg); e++) store.logEpoch(id, e, { loss: 1 / e, epoch: e });
    store.finishRun(id, { status: 'completed', summary: { accuracy: 0.5 } });
  }
  process.stdout.write(`${performance.now() - t0}\n`);
  store.close();
}
