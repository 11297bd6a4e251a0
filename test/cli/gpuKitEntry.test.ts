/** The GPU kit entry's parsers (src/cli/gpuKitEntry.ts); the kit itself runs in test/parity/gpuKit.parity.test.ts. */
import { describe, expect, test } from 'vitest';
import { parseBenchStatuses, parseNvidiaSmiQuery } from '../../src/cli/gpuKitEntry.ts';

describe('gpu kit entry', () => {
  test("run.sh's bench statuses: ok names its file, a failure keeps none", () => {
    expect(parseBenchStatuses(['engine=ok', 'sweep=failed:124'])).toEqual([
      { name: 'engine', file: 'engine.json', ok: true, exitCode: 0 },
      { name: 'sweep', file: null, ok: false, exitCode: 124 },
    ]);
  });

  test("nvidia-smi's query line", () => {
    expect(parseNvidiaSmiQuery('NVIDIA H100 80GB HBM3, 550.54.15, 81559 MiB\n')).toEqual({ name: 'NVIDIA H100 80GB HBM3', driverVersion: '550.54.15', memory: '81559 MiB' });
    expect(parseNvidiaSmiQuery('NVIDIA-SMI has failed\n')).toBeNull();
  });
});
