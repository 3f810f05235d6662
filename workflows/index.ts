// Bundle entry: every workflow the worker registers.
export { ping } from './ping.js';
