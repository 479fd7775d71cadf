// Entry of a local worker process (forked by PointPool): trains the points its parent sends over IPC,
// one at a time, and exits when the parent goes away (so a killed `vib worker` leaves no orphan training).
import * as tf from '@tensorflow/tfjs';
import type { PointSpec } from './point-spec.js';
import { runPoint } from './run-point.js';
import { interruptRecordedPoint, runRecordedPoint, type WorkerRecord } from './worker-record.js';

tf.enableProdMode();
const parent = process.ppid;
process.on('disconnect', () => {
  interruptRecordedPoint(`the vib worker (pid ${parent}) that ran this point went away; the queue hands the point to another worker`);
  process.exit(0);
});
process.on('message', (msg: { id: number; spec: PointSpec; record?: WorkerRecord }) => {
  (msg.record ? runRecordedPoint(msg.spec, msg.record) : runPoint(msg.spec)).then(
    (result) => process.send?.({ id: msg.id, ok: true, result }),
    (e: unknown) => process.send?.({ id: msg.id, ok: false, error: (e as Error).message ?? String(e) }),
  );
});
process.send?.({ ready: true });
