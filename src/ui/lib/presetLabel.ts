/**
 * What the preset picker reads when the scenario on screen is no preset as shipped (issue 18): an edited preset
 * still carries its preset's name (the heading shows it), so the picker says "<title> (edited)"; a scenario of its
 * own (blank, an import, a renamed one) reads "(custom)".
 */

/** A preset as the picker lists it. */
export interface PickerPreset {
  id: string;
  title: string;
}

/**
 * The label of the picker's "not a preset" entry: `presetId` is the preset the work came from (null: none),
 * `scenarioName` the current scenario's name.
 */
export function editedPresetLabel(presets: readonly PickerPreset[], presetId: string | null, scenarioName: string): string {
  const from = presetId === null ? undefined : presets.find((p) => p.id === presetId);
  return from && from.title === scenarioName ? `${from.title} (edited)` : '(custom)';
}
