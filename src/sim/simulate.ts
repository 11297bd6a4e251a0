/** Entry point of the headless simulator. */
export { simulate, Simulation, type SimOptions, type SimResult, type DecisionRecord } from './simulation.ts';
