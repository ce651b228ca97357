/**
 * The data an experiment returns: plain, JSON-serializable objects (numbers, strings, arrays), so the CLI
 * can write them next to the figure and a browser can draw them with any plotting library.
 */

/** Mean and spread across seeds of one quantity at one x (a step, a step size, a weight ratio …). */
export interface Band {
  x: number;
  /** Mean over the seeds. */
  mean: number;
  /** Population standard deviation over the seeds (0 for one seed). */
  std: number;
  /** Smallest value over the seeds. */
  min: number;
  /** Largest value over the seeds. */
  max: number;
}

/** One curve of a {@link LinePanel}: a label and its bands, in increasing x. */
export interface LineSeries {
  label: string;
  points: Band[];
  /** Draw dashed: a reference (a theoretical rate, a max-margin value), not a measured method. */
  reference?: boolean;
}

/** An axis of a {@link LinePanel}. */
export interface Axis {
  label: string;
  /** `'log'` where the theory is in log t (or a power of t); non-positive values are then not drawn. */
  scale: 'linear' | 'log';
}

/** A panel of curves with bands over seeds. */
export interface LinePanel {
  kind: 'lines';
  id: string;
  title: string;
  x: Axis;
  y: Axis;
  series: LineSeries[];
}

/** A point of a {@link PlanePanel}: coordinates, label ±1, and whether it is a held-out point. */
export interface PlanePoint {
  x1: number;
  x2: number;
  y: number;
  /** A second group of points drawn fainter (held-out points, or the non-separable part). */
  group?: string;
}

/** A line w1·x1 + w2·x2 + b = 0 of a {@link PlanePanel}. */
export interface PlaneLine {
  label: string;
  w1: number;
  w2: number;
  b: number;
  /** Draw dashed: a reference solution (the hard-margin SVM), not a trained model. */
  reference?: boolean;
  /** The largest angle (degrees) between a seed's trained direction and the drawn mean direction. */
  spreadDegrees?: number;
}

/** A 2-D scatter of a dataset with separating lines. */
export interface PlanePanel {
  kind: 'plane';
  id: string;
  title: string;
  points: PlanePoint[];
  lines: PlaneLine[];
  /** Marked points (e.g. where the limit hyperplanes cross a line). */
  markers?: { label: string; x1: number; x2: number }[];
  /** Drawing window [x1min, x1max, x2min, x2max]. */
  window: [number, number, number, number];
}

/**
 * A grid of values over a 2-D window: the decision region of a nonlinear model. `values[j * x1.length + i]`
 * is the value at (x1[i], x2[j]); here the fraction of seeds whose trained model predicts +1 there (0:
 * every seed says −1, 1: every seed says +1), so the shading is itself the spread over seeds.
 */
export interface RegionGrid {
  /** Cell centres along x₁, increasing and evenly spaced. */
  x1: number[];
  /** Cell centres along x₂, increasing and evenly spaced. */
  x2: number[];
  /** Row-major values (x₁ fastest), length x1.length · x2.length, each in [0, 1]. */
  values: number[];
}

/** A 2-D scatter of a dataset over a shaded grid of model predictions. */
export interface RegionPanel {
  kind: 'region';
  id: string;
  title: string;
  /** What the shading means, for the legend (e.g. 'fraction of seeds predicting +1'). */
  valueLabel: string;
  grid: RegionGrid;
  points: PlanePoint[];
  /** Drawing window [x1min, x1max, x2min, x2max]; the grid's cells tile it. */
  window: [number, number, number, number];
}

/** A panel of an {@link ExperimentResult}. */
export type Panel = LinePanel | PlanePanel | RegionPanel;

/** What every experiment returns. */
export interface ExperimentResult {
  /** The registry name, e.g. `'figure2a'`; also the file name the CLI writes. */
  name: string;
  /** The claim of the paper (or slides) the figure illustrates. */
  title: string;
  /** What was measured, on which data, with which settings. */
  caption: string;
  /** The settings actually used (seeds, steps, learning rate, …). */
  settings: Record<string, unknown>;
  panels: Panel[];
  /** Scalar findings computed from the run (e.g. the final mean angle per weighting). */
  summary: Record<string, number>;
}

/** Options every experiment takes (all optional; the defaults are the paper's settings). */
export interface ExperimentOptions {
  /** Seeds: a count k (seeds 0 … k−1) or an explicit list of integers. Default per experiment. */
  seeds?: number | readonly number[];
  /** Number of steps: `'default'`, `'small'` (a fast smoke-test run) or an integer ≥ 1. */
  steps?: number | 'small' | 'default';
  /** Called after each unit of work (one training run, usually) with the units done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between training runs (rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Shared between experiments of one `reproduce` so that experiments drawing from the same runs
   * (figure 1a and figure 2a/2b) train them once. Any `Map` works; keys are internal.
   */
  cache?: Map<string, unknown>;
}

/** An entry of the experiment registry. */
export interface Experiment {
  /** The registry name, e.g. `'figure2a'` or `'slides-rates'`. */
  readonly name: string;
  /** One line: what the experiment shows. */
  readonly description: string;
  /** The default number of seeds. */
  readonly seeds: number;
  /** Steps for `'small'` and `'default'`. */
  readonly steps: { readonly small: number; readonly default: number };
  /**
   * Experiments with the same `shares` key reuse each other's training runs through `options.cache`
   * (figure1, figure2a, figure2b share the Figure 1a runs; figure1, figure2c, figure2d the moons MLP runs); a parallel `reproduce` keeps them in one process.
   */
  readonly shares?: string;
  /** Runs it. */
  readonly run: (options?: ExperimentOptions) => Promise<ExperimentResult>;
}
