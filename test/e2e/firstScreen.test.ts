/**
 * The first screen loads no scheduler or simulator code (docs/architecture.md, "Import rules"): the entry chunk
 * of the built app and the chunks it preloads hold only UI, scenario, core and worker-protocol modules. In the
 * browser tier because it needs the build the other browser tests make anyway (no browser needed).
 */
import { describe, expect, it } from 'vitest';
import { firstScreenReport } from '../../scripts/firstScreen.ts';
import { DIST, ensureBuilt } from './harness.ts';

describe('first-screen bundle', () => {
  it('holds no scheduler, simulator, engine or model code', () => {
    ensureBuilt();
    const r = firstScreenReport(DIST);
    const modules = r.files.flatMap((f) => f.modules);
    expect(modules).toContain('src/ui/main.tsx');
    expect(modules).toContain('src/scenario/validate.ts');
    expect(modules).toContain('src/scenario/profileCatalog.ts');
    expect(r.offenders).toEqual([]);
  });
});
