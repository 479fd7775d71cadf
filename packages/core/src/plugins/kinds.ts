import type { AttackPlugin } from './attack-plugin.js';
import type { ControllerPlugin } from './controller-plugin.js';
import type { DatasetPlugin } from './dataset-plugin.js';
import type { EstimatorPlugin } from './estimator-plugin.js';
import type { KLPlugin } from './kl-plugin.js';
import type { PriorPlugin } from './prior-plugin.js';

declare module '../registry/plugin.js' {
  interface PluginKindMap {
    /** Priors r(z) on the latent code, the second argument of the rate KL(p(z|x) ‖ r(z)). */
    prior: PriorPlugin<any>;
    /** Rate controllers: turn the rate KL(p(z|x) ‖ r(z)) into the loss's rate term, with β and their own state (fixed, capacity, hinge, dual ascent, free bits). */
    controller: ControllerPlugin<any>;
    /** Datasets: loaders of train and test splits as plain typed arrays. */
    dataset: DatasetPlugin<any>;
    /** Mutual-information estimators: activation-based (I(X;T), I(T;Y)) or critic-based (a bound on I(X;Y)). */
    estimator: EstimatorPlugin<any>;
    /** KL rules for a pair of registered distribution type names (a prior's closed forms); bottlenecks resolve KL through them. */
    kl: KLPlugin<any, any>;
    /** Adversarial attacks: perturb a batch within an ε-ball to increase a model's loss (FGSM, PGD, L2 PGD). */
    attack: AttackPlugin<any>;
  }
}

export {};
