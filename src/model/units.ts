/** Units used throughout: all resource quantities are integers (domain.md §2). */

/** One whole GPU in milli-GPU. */
export const GPU_MILLI = 1000;
/** Compute of one whole GPU in HAMi `gpucores` percent. */
export const GPU_CORES = 100;
export const MiB_PER_GiB = 1024;
export const SECONDS_PER_HOUR = 3600;
export const SECONDS_PER_DAY = 86400;

/** kube-scheduler's non-zero defaults for a container without requests (NodeResourcesFit scoring). */
export const DEFAULT_CPU_MILLI_REQUEST = 100;
export const DEFAULT_MEM_MIB_REQUEST = 200;
