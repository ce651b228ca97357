/** Splits text into lines of at most `width` characters at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** The segment of the line w1·x1 + w2·x2 + b = 0 inside the window, or null if it misses it. */
export function clipLine(
  w1: number,
  w2: number,
  b: number,
  [x0, x1, y0, y1]: readonly [number, number, number, number],
): [number, number, number, number] | null {
  const pts: [number, number][] = [];
  const add = (u: number, v: number) => {
    if (u >= x0 - 1e-12 && u <= x1 + 1e-12 && v >= y0 - 1e-12 && v <= y1 + 1e-12) pts.push([u, v]);
  };
  if (w2 !== 0) {
    add(x0, -(b + w1 * x0) / w2);
    add(x1, -(b + w1 * x1) / w2);
  }
  if (w1 !== 0) {
    add(-(b + w2 * y0) / w1, y0);
    add(-(b + w2 * y1) / w1, y1);
  }
  if (pts.length < 2) return null;
  // The two points farthest apart (duplicates at corners are possible).
  let best: [number, number, number, number] = [pts[0]![0], pts[0]![1], pts[1]![0], pts[1]![1]];
  let dist = -1;
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const dd = (pts[i]![0] - pts[j]![0]) ** 2 + (pts[i]![1] - pts[j]![1]) ** 2;
      if (dd > dist) {
        dist = dd;
        best = [pts[i]![0], pts[i]![1], pts[j]![0], pts[j]![1]];
      }
    }
  }
  return best;
}

/**
 * The cells of a region grid as rectangles [x1, x1b] × [x2, x2b] around each centre, with their value;
 * neighbouring cells of a row with the same value are merged into one rectangle (a smaller SVG).
 */
export function regionCells(grid: {
  x1: readonly number[];
  x2: readonly number[];
  values: readonly number[];
}): { x1: number; x1b: number; x2: number; x2b: number; value: number }[] {
  const half = (xs: readonly number[]) => (xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 0.5);
  const h1 = half(grid.x1);
  const h2 = half(grid.x2);
  const nx = grid.x1.length;
  const out: { x1: number; x1b: number; x2: number; x2b: number; value: number }[] = [];
  for (let j = 0; j < grid.x2.length; j++) {
    let i = 0;
    while (i < nx) {
      const value = grid.values[j * nx + i]!;
      let k = i;
      while (k + 1 < nx && grid.values[j * nx + k + 1] === value) k++;
      const c2 = grid.x2[j]!;
      out.push({ x1: grid.x1[i]! - h1, x1b: grid.x1[k]! + h1, x2: c2 - h2, x2b: c2 + h2, value });
      i = k + 1;
    }
  }
  return out;
}
