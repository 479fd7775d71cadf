import * as tf from '@tensorflow/tfjs';
import { createDefaultRegistry } from '@vib/kit';
import { infoPlaneData } from './charts/info-plane.js';
import { registerBrowserBackends } from './engine/browser-backends.js';
import { mnistAssetDataset } from './engine/mnist-asset-dataset.js';
import { createMetricsSink } from './metrics/metrics-sink.js';
import { ClassifierController } from './ui/classifier-controller.js';
import { createDashboard } from './ui/dashboard.js';
import { setStatus, byId } from './ui/dom.js';
import { parseParams, DEFAULT_PARAMS, type DemoParams } from './ui/params.js';
import { VaePanel } from './ui/vae-panel.js';
import { ModelLoader } from './ui/model-loader.js';
import { UncertaintyPanel } from './ui/uncertainty-panel.js';
import { RunLoader } from './ui/run-loader.js';

/** What the page exposes for tests and the curious: the model's reports and what each chart received. */
export interface DemoHandle {
  ready: boolean;
  error: string | null;
  readonly params: DemoParams;
  readonly controller: ClassifierController;
  readonly vae: VaePanel;
  readonly loader: ModelLoader;
  readonly uncertainty: UncertaintyPanel;
  /** The recorded-run control (runs listed by `vib serve`). */
  readonly runs: RunLoader;
  /** The backend in use. */
  backend(): string | null;
  /** The session's own epoch records (what the model reported). */
  history(): unknown[];
  /** What the metrics sink holds. */
  metrics(): unknown[];
  /** What each chart last drew. */
  charts(): Record<string, unknown>;
  /** Whether a training run is in progress. */
  busy(): boolean;
  /** Resolves when the information plane shows the latest epoch (Vega renders asynchronously). */
  dashboardDrawn(): Promise<void>;
  /** A TensorFlow.js flag's value (e.g. `WEBGL_PACK_UNARY_OPERATIONS`). */
  tfFlag(name: string): unknown;
}

async function start(): Promise<void> {
  const status = byId('status', HTMLElement);
  let params = DEFAULT_PARAMS;
  try {
    params = parseParams(location.search);
  } catch (error) {
    setStatus(status, `${(error as Error).message}; using defaults`, true);
  }
  // The same registry as the CLI's, with the browser's backends swapped in and the embedded digits
  // (the CLI's opt-in `mnist` plugin) read from the page's gzipped byte asset.
  const registry = createDefaultRegistry();
  registerBrowserBackends(registry);
  registry.register('dataset', mnistAssetDataset);
  const sink = createMetricsSink();
  const dashboard = createDashboard(sink);
  const controller = new ClassifierController(registry, sink, dashboard, params);
  const vae = new VaePanel(registry, Math.min(params.train, 3000));
  const loader = new ModelLoader(registry, controller, vae, params.test);
  const uncertainty = new UncertaintyPanel(() => ({ model: controller.session?.model ?? null, data: controller.data }));
  const runs = new RunLoader(loader, byId('load-section', HTMLElement), byId('load-status', HTMLElement));
  const runsListed = runs.init();
  const handle: DemoHandle = {
    ready: false,
    error: null,
    params,
    controller,
    vae,
    loader,
    uncertainty,
    runs,
    backend: () => (controller.backend ? tf.getBackend() : null),
    history: () => [...(controller.session?.history ?? [])],
    metrics: () => [...sink.records()],
    charts: () => ({
      plane: dashboard.plane.data,
      planeFromSink: infoPlaneData(sink.records()),
      accuracy: dashboard.accuracy.data,
      loss: dashboard.loss.data,
      kl: dashboard.kl.data,
      latentCodes: dashboard.latent.data?.codes.length ?? 0,
      vaeImages: vae.strip.data.length,
    }),
    busy: () => controller.session?.isRunning ?? false,
    dashboardDrawn: () => dashboard.plane.drawn,
    tfFlag: (name) => tf.env().get(name),
  };
  (globalThis as { __vibDemo?: DemoHandle }).__vibDemo = handle;
  let resizeTimer = 0;
  addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => dashboard.redraw(), 100);
  });
  try {
    await controller.switchBackend();
    await controller.loadData();
    await runsListed;
    handle.ready = true;
    if (params.autostart) await controller.train();
  } catch (error) {
    handle.error = error instanceof Error ? error.message : String(error);
    setStatus(status, handle.error, true);
  }
}

void start();
