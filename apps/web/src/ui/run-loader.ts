import { checkedHttpIO, type VibModel } from '@vib/tasks';
import { setStatus } from './dom.js';
import type { ModelLoader } from './model-loader.js';

/** A run as `vib serve`'s `GET api/runs` lists it. */
export interface ListedRun {
  /** Run id (12 hex digits). */
  readonly id: string;
  /** The command that recorded it (`train`). */
  readonly command: string;
  /** running, completed, failed or interrupted. */
  readonly status: string;
  /** Dataset name. */
  readonly dataset: string | null;
  /** Fixed β, else null. */
  readonly beta: number | null;
  /** Test accuracy with the mean code, else null. */
  readonly accuracy: number | null;
  /** Test rate in bits, else null. */
  readonly rateBits: number | null;
}

/**
 * The "load a recorded run" control. A static host cannot read the run store, so the control asks the page's
 * own server for `api/runs`: `vib serve` answers with the runs that saved a model, and the control loads one
 * by id through {@link ModelLoader.show} with `checkedHttpIO` (which checks the model.json and its weights).
 * Any other server: the control is replaced by a line saying how to get it.
 */
export class RunLoader {
  /** The runs the server listed (empty without `vib serve`). */
  runs: ListedRun[] = [];
  /** Whether the page is served by `vib serve`. */
  available = false;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;

  /**
   * @param loader - the saved-model loader that evaluates and shows a model
   * @param section - where the control goes (the saved-model section)
   * @param status - the loader's status line
   */
  constructor(private readonly loader: ModelLoader, private readonly section: HTMLElement, status: HTMLElement) {
    this.status = status;
    this.input = document.createElement('input');
  }

  /**
   * Ask the server for runs and draw the control (or the hint).
   * @returns whether the run API is there
   */
  async init(): Promise<boolean> {
    let runs: ListedRun[] | null = null;
    try {
      const res = await fetch('api/runs', { headers: { accept: 'application/json' } });
      const body = res.ok && (res.headers.get('content-type') ?? '').startsWith('application/json') ? ((await res.json()) as { runs?: unknown }) : null;
      if (body && Array.isArray(body.runs)) runs = body.runs as ListedRun[];
    } catch {
      runs = null;
    }
    const box = document.createElement('div');
    box.className = 'run-loader';
    if (runs === null) {
      box.innerHTML = '<p class="hint" id="run-hint">To load a recorded run by its id, open this page through <code>vib serve</code>, which reads your run store.</p>';
      this.section.insertBefore(box, this.status);
      return false;
    }
    this.runs = runs;
    this.available = true;
    const list = document.createElement('datalist');
    list.id = 'run-ids';
    for (const r of runs) {
      const o = document.createElement('option');
      o.value = r.id;
      o.label = describeRun(r);
      list.append(o);
    }
    const label = document.createElement('label');
    label.className = 'file'; // the saved-model panel's layout: the field under its label
    label.textContent = `Or a recorded run's id (${runs.length} with a model):`;
    Object.assign(this.input, { id: 'run-id', type: 'text', placeholder: runs[0]?.id ?? 'run id', autocomplete: 'off', spellcheck: false });
    this.input.setAttribute('list', list.id);
    label.append(this.input);
    const button = document.createElement('button');
    button.id = 'run-load';
    button.textContent = 'Load run';
    button.addEventListener('click', () => void this.load(this.input.value));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.load(this.input.value);
    });
    box.append(label, list, button);
    this.section.insertBefore(box, this.status);
    return true;
  }

  /**
   * Load a run's model by id (or a unique prefix) from `vib serve`.
   * @param value - the id as typed
   * @returns the model, or null (the status line says why)
   */
  async load(value: string): Promise<VibModel | null> {
    const id = value.trim().toLowerCase();
    if (!/^[0-9a-f]{4,12}$/.test(id)) {
      setStatus(this.status, `A run id is 4 to 12 hex digits from vib runs ls (it is "${value}").`, true);
      return null;
    }
    const url = `api/runs/${id}/model/model.json`;
    // the server's own words for a refusal (no such run, no model) before the loader's generic HTTP error
    const probe = await fetch(url, { method: 'HEAD' }).catch(() => null);
    if (probe && !probe.ok) {
      const body = (await fetch(url).then((r) => r.json()).catch(() => null)) as { error?: unknown } | null;
      setStatus(this.status, typeof body?.error === 'string' ? `${body.error}.` : `Run ${id}: HTTP ${probe.status} from vib serve.`, true);
      return null;
    }
    return this.loader.show(checkedHttpIO(url), `run ${id}`);
  }
}

/**
 * One line about a run for the picker.
 * @param r - the listed run
 * @returns e.g. `train · tishby-12bit · β 0.001 · test acc 91.2% · completed` (the run summary's test accuracy, mean code)
 */
export function describeRun(r: ListedRun): string {
  return [r.command, r.dataset ?? '?', ...(r.beta !== null ? [`β ${r.beta}`] : []), ...(r.accuracy !== null ? [`test acc ${(r.accuracy * 100).toFixed(1)}%`] : []), r.status].join(' · ');
}
