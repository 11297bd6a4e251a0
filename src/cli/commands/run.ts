import type { Command } from '../main.ts';
// Filled in with the simulator (in progress).
export const runCommand: Command = { name: 'run', usage: 'run <scenario.json> [--seed N] [--json]', summary: 'Run a scenario and print its summary.', options: {}, run: () => 2 };
