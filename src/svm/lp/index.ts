export { type ReadyOptions, ready } from './ready.js';
