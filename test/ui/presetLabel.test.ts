/** The preset picker's label for a scenario that is no preset as shipped (issue 18). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { editedPresetLabel } from '../../src/ui/lib/presetLabel.ts';
import { blankScenario } from '../../src/ui/lib/blankScenario.ts';

const manifest = (JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as { presets: { id: string; title: string; file: string }[] }).presets;

describe('editedPresetLabel', () => {
  it('an edited preset (it still has the preset\'s name) reads "<title> (edited)", for every preset', () => {
    for (const p of manifest) {
      const name = (JSON.parse(readFileSync(`public/scenarios/${p.file}`, 'utf8')) as { name: string }).name;
      expect(editedPresetLabel(manifest, p.id, name)).toBe(`${p.title} (edited)`);
    }
  });
  it('blank, imported or renamed work reads "(custom)", even when a preset was opened before', () => {
    expect(editedPresetLabel(manifest, 'gang-deadlock', blankScenario().name)).toBe('(custom)');
    expect(editedPresetLabel(manifest, 'gang-deadlock', 'openb trace import')).toBe('(custom)');
    expect(editedPresetLabel(manifest, null, 'Training gang deadlock')).toBe('(custom)');
    expect(editedPresetLabel(manifest, 'no-such-preset', 'Training gang deadlock')).toBe('(custom)');
  });
});
