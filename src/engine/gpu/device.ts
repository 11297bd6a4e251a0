/**
 * The device owner: one WebGPU device with its kernel sources, the compiled pipelines (each kernel compiled once,
 * on first use: SwiftShader takes seconds per kernel), the limits every evaluator on the device splits its
 * batches by, and the device's failure (device lost, an uncaptured error: wiring/select.ts watchDevice marks
 * it). The evaluators on the device — the k8s/FGD/baselines GpuEngine (gpuEngine.ts), the HAMi evaluator
 * (hamiGpu.ts) and the Volcano evaluator (volcanoGpuEngine.ts) — share it and keep their own buffers.
 */
import { kernelSource, type KernelName, type ShaderFiles } from './shaders.ts';
import { MAX_WORKGROUPS_PER_DIM } from './hostCommon.ts';

/** Options of `GpuEngine.create` (the device's limits as the evaluators see them). */
export interface GpuEngineOptions {
  /**
   * Caps the bytes of one submit's candidate results below the device's limits (tests: a small cap runs the
   * pod-chunk and node-tile paths on small inputs).
   */
  maxResultBytes?: number;
  /**
   * Caps workgroups per grid dimension below 65,535 (tests: a small cap makes every dispatch a 2-D grid on small
   * inputs). Used by every evaluator on the device.
   */
  maxWorkgroupsPerDim?: number;
}

/** A WebGPU device, its pipeline cache and its failure state, shared by the evaluators on it. */
export class GpuDevice {
  private failure: string | null = null;
  private readonly pipelines = new Map<KernelName, Promise<GPUComputePipeline>>();
  /** Most bytes of candidate results one submit may hold (a multiple of 4). */
  readonly resultLimitBytes: number;
  /** Most workgroups per grid dimension of a dispatch (grid2d's cap). */
  readonly workgroupsPerDim: number;

  /**
   * `keepAlive` holds the GPU/adapter objects for the device's lifetime: with Dawn in Node, a collected GPU object
   * stops event processing (mapAsync never resolves) or crashes the process.
   */
  constructor(
    readonly device: GPUDevice,
    readonly label: string,
    private readonly files: ShaderFiles,
    private keepAlive: unknown[] = [],
    options: GpuEngineOptions = {},
  ) {
    const cap = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize, options.maxResultBytes ?? Infinity);
    this.resultLimitBytes = Math.max(4, Math.floor(cap / 4) * 4);
    this.workgroupsPerDim = Math.max(1, Math.min(MAX_WORKGROUPS_PER_DIM, Math.floor(options.maxWorkgroupsPerDim ?? MAX_WORKGROUPS_PER_DIM)));
  }

  /** The compiled pipeline of a kernel (compiled once, on first use). */
  pipeline(kernel: KernelName): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(kernel);
    if (!p) {
      p = this.device.createComputePipelineAsync({
        label: kernel,
        layout: 'auto',
        compute: { module: this.device.createShaderModule({ label: kernel, code: kernelSource(this.files, kernel) }), entryPoint: 'main' },
      });
      this.pipelines.set(kernel, p);
    }
    return p;
  }

  /** Marks the device unusable (device lost, uncaptured error); later evaluations reject with the reason. */
  fail(reason: string): void {
    this.failure ??= reason;
  }

  /** Why the device stopped working, or null. */
  get failed(): string | null {
    return this.failure;
  }

  /** Throws when the device failed (every evaluator checks before a submit and after a readback). */
  check(): void {
    if (this.failure) throw new Error(`WebGPU engine failed: ${this.failure}`);
  }

  /** Destroys the device and lets go of the objects kept alive with it. */
  destroy(): void {
    this.device.destroy();
    this.keepAlive = [];
  }
}

/** What an evaluator needs of its device's owner (a GpuDevice, or the GpuEngine that holds one). */
export type DeviceOwner = Pick<GpuDevice, 'device' | 'label' | 'pipeline' | 'failed' | 'resultLimitBytes' | 'workgroupsPerDim'>;
