export { loadLPSolver, type ReadyOptions, ready } from './ready.js';
