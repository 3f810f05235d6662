// Bundle entry: every workflow the worker registers.
export { ping } from './ping.js';
export { campaignWorkflow } from './campaign.js';
export { deflectionWorkflow } from './deflection.js';
