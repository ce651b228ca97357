import type { Dataset } from '../datasets/types.js';
import { DEG } from './internal.js';
import type { PlaneLine, PlanePoint } from './types.js';

/** The points of a 2-D dataset (first two coordinates) for a plane panel. */
export function planePoints(data: Dataset, group?: string): PlanePoint[] {
  const out: PlanePoint[] = [];
  for (let i = 0; i < data.n; i++) {
    const p: PlanePoint = { x1: data.X[i * data.d]!, x2: data.X[i * data.d + 1]!, y: data.y[i]! };
    if (group !== undefined) p.group = group;
    out.push(p);
  }
  return out;
}

/** A square-ish window around the points with 8% padding. */
export function planeWindow(points: readonly PlanePoint[]): [number, number, number, number] {
  let a = Number.POSITIVE_INFINITY;
  let b = Number.NEGATIVE_INFINITY;
  let c = Number.POSITIVE_INFINITY;
  let d = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    a = Math.min(a, p.x1);
    b = Math.max(b, p.x1);
    c = Math.min(c, p.x2);
    d = Math.max(d, p.x2);
  }
  const pad = 0.08 * Math.max(b - a, d - c);
  return [a - pad, b + pad, c - pad, d + pad];
}

/**
 * The line of the mean direction of several θ = (w1, w2[, b]) (each normalized to unit length first), and
 * the largest angle between one of them and that mean.
 */
export function meanLine(label: string, thetas: readonly Float64Array[]): PlaneLine {
  const p = thetas[0]!.length;
  const mean = new Float64Array(p);
  for (const t of thetas) {
    let s = 0;
    for (let j = 0; j < p; j++) s += t[j]! * t[j]!;
    s = Math.sqrt(s);
    for (let j = 0; j < p; j++) mean[j]! += t[j]! / s;
  }
  let m = 0;
  for (let j = 0; j < p; j++) m += mean[j]! * mean[j]!;
  m = Math.sqrt(m);
  for (let j = 0; j < p; j++) mean[j]! /= m;
  let spread = 0;
  for (const t of thetas) {
    let dot = 0;
    let s = 0;
    for (let j = 0; j < p; j++) {
      dot += t[j]! * mean[j]!;
      s += t[j]! * t[j]!;
    }
    const c = Math.max(-1, Math.min(1, dot / Math.sqrt(s)));
    spread = Math.max(spread, Math.acos(c) * DEG);
  }
  return { label, w1: mean[0]!, w2: mean[1]!, b: p > 2 ? mean[2]! : 0, spreadDegrees: spread };
}
