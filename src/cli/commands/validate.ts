import type { Command } from '../main.ts';
// Filled in with the scenario validator (in progress).
export const validateCommand: Command = { name: 'validate', usage: 'validate <scenario.json>', summary: 'Check a scenario file.', options: {}, run: () => 2 };
