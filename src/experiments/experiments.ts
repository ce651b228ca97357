import { EDGE_OF_STABILITY, edgeOfStability } from './edgeOfStability.js';
import { FIGURE1, figure1 } from './figure1.js';
import { FIGURE2A, figure2a } from './figure2a.js';
import { FIGURE2B, figure2b } from './figure2b.js';
import { FIGURE2C, figure2c } from './figure2c.js';
import { FIGURE2D, figure2d } from './figure2d.js';
import { FIGURE3, figure3 } from './figure3.js';
import { FIGURE4, figure4 } from './figure4.js';
import { SLIDES_FACTORIZATION, slidesFactorization } from './slidesFactorization.js';
import { SLIDES_MIRROR, slidesMirror } from './slidesMirror.js';
import { SLIDES_OPTIMIZERS, slidesOptimizers } from './slidesOptimizers.js';
import { SLIDES_RATES, slidesRates } from './slidesRates.js';
import { SLIDES_STEEPEST, slidesSteepest } from './slidesSteepest.js';
import type { Experiment } from './types.js';

/** The names in the registry (the files `reproduce` writes: `<name>.svg`, `<name>.json`). */
export type ExperimentName =
  | 'figure1'
  | 'figure2a'
  | 'figure2b'
  | 'figure2c'
  | 'figure2d'
  | 'figure3'
  | 'figure4'
  | 'slides-rates'
  | 'slides-optimizers'
  | 'slides-steepest'
  | 'slides-mirror'
  | 'slides-factorization'
  | 'edge-of-stability';

const list: (Experiment & { name: ExperimentName })[] = [
  { ...FIGURE1, run: figure1 },
  { ...FIGURE2A, run: figure2a },
  { ...FIGURE2B, run: figure2b },
  { ...FIGURE2C, run: figure2c },
  { ...FIGURE2D, run: figure2d },
  { ...FIGURE3, run: figure3 },
  { ...FIGURE4, run: figure4 },
  { ...SLIDES_RATES, run: slidesRates },
  { ...SLIDES_OPTIMIZERS, run: slidesOptimizers },
  { ...SLIDES_STEEPEST, run: slidesSteepest },
  { ...SLIDES_MIRROR, run: slidesMirror },
  { ...SLIDES_FACTORIZATION, run: slidesFactorization },
  { ...EDGE_OF_STABILITY, run: edgeOfStability },
];

/**
 * The registry of reproducible experiments, by name (`'figure1'`, `'figure2a'`, …, `'slides-rates'`): what
 * `implicit-bias reproduce` runs and draws. Each entry has `name`, `description`, default `seeds` and
 * `steps` (`small` and `default`), and `run(options)` returning an {@link ExperimentResult}.
 *
 * @example
 * ```ts
 * Object.keys(experiments); // ['figure1', 'figure2a', 'figure2b', …]
 * const result = await experiments.figure2a.run({ seeds: 2, steps: 'small' });
 * ```
 */
export const experiments: Readonly<Record<ExperimentName, Experiment>> = Object.freeze(
  Object.fromEntries(list.map((e) => [e.name, Object.freeze(e)])) as Record<ExperimentName, Experiment>,
);
