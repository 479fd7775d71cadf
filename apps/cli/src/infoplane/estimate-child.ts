// Entry of an estimate process (forked by EstimatePool for `vib infoplane`): runs the activation estimators its
// parent sends, by registered name, from the built-in plugins and the run's --plugin modules (VIB_ESTIMATE_PLUGINS,
// a JSON list), one at a time, and exits when the parent goes away.
import { estimateInformation, type Information } from '@vib/core';
import { createCliRegistry } from '../registry.js';
import type { EstimateTask } from './estimate-pool.js';

process.on('disconnect', () => process.exit(0));
// the parent loaded the same modules and showed their warnings already
const registry = createCliRegistry(JSON.parse(process.env['VIB_ESTIMATE_PLUGINS'] ?? '[]') as string[], () => {});
process.on('message', (msg: EstimateTask & { id: number }) => {
  registry
    .then((r) => {
      // as plain numbers, whatever objects the estimator returned them in
      const { ixt, ity, extraNats } = estimateInformation(r, msg.name, msg.input, msg.config);
      const plain = (x: Information): Information => ({ nats: x.nats, bits: x.bits });
      return { ...(ixt ? { ixt: plain(ixt) } : {}), ...(ity ? { ity: plain(ity) } : {}), ...(extraNats ? { extraNats: { ...extraNats } } : {}) };
    })
    .then(
      (result) => process.send?.({ id: msg.id, ok: true, result }),
      (e: unknown) => process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
});
process.send?.({ ready: true });
