/**
 * The layout shows the architecture: data flows one way (dataset → model → objective → optimizer loop →
 * recorded metrics → references, bounds, figures), so every import between folders of src/ must point to a
 * lower layer of the table below (docs/architecture.md draws the same table). A new folder must be placed in
 * the table; an import that goes up or sideways fails here with its file and line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Each folder's layer: a folder may import only from folders of a lower layer (or from itself). */
const LAYERS: Record<string, number> = {
  errors: 0,
  kernels: 1,
  util: 2,
  rng: 3,
  linalg: 4,
  losses: 4,
  datasets: 5,
  models: 6,
  mlp: 7,
  node: 7,
  metrics: 8,
  'gd/optimizers': 9,
  'gd/schedules': 9,
  'gd/train': 10,
  gd: 11,
  svm: 12,
  bounds: 13,
  weights: 13,
  experiments: 14,
  plot: 15,
  cli: 16,
  '(root)': 17,
};

/** The folder of a source file: its top folder under src/, or gd/<sub> inside src/gd. */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts.length === 1) return '(root)';
  if (parts[0] === 'gd' && parts.length > 2) return `gd/${parts[1]}`;
  return parts[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/ layout', () => {
  it('every folder of src/ has a layer, and every import between folders points to a lower layer', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = folderOf(file);
      if (!(from in LAYERS)) problems.push(`${path.relative(SRC, file)}: folder ${from} has no layer`);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, k) => {
          const m = /from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/.exec(line);
          if (!m) return;
          const target = path.resolve(path.dirname(file), (m[1] ?? m[2])!);
          const to = folderOf(target);
          if (to === from) return;
          if (!(LAYERS[to]! < LAYERS[from]!)) {
            problems.push(
              `${path.relative(SRC, file)}:${k + 1}: ${from} (layer ${LAYERS[from]}) imports ${to} (layer ${LAYERS[to]})`,
            );
          }
        });
    }
    expect(problems).toEqual([]);
  });

  it('the layer check sees an upward import (a test of the test)', () => {
    const from = folderOf(path.join(SRC, 'datasets', 'x.ts'));
    const to = folderOf(path.join(SRC, 'bounds', 'y.ts'));
    expect(LAYERS[to]! < LAYERS[from]!).toBe(false);
    expect(folderOf(path.join(SRC, 'gd', 'train', 'driver.ts'))).toBe('gd/train');
  });
});
