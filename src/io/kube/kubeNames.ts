/**
 * The label, annotation and resource names a cluster snapshot carries, each with where it comes from, so the
 * importer and the exporter spell them the same way.
 */

/** Whole GPUs the NVIDIA device plugin advertises (k8s-device-plugin; HAMi's device plugin reuses it). */
export const RES_GPU = 'nvidia.com/gpu';
/** HAMi: GPU memory per GPU, MiB (Project-HAMi/HAMi docs, "Allocate device memory"). */
export const RES_GPUMEM = 'nvidia.com/gpumem';
/** HAMi: GPU memory per GPU as a percentage of the card. */
export const RES_GPUMEM_PCT = 'nvidia.com/gpumem-percentage';
/** HAMi: compute per GPU, percent of the card. */
export const RES_GPUCORES = 'nvidia.com/gpucores';

/**
 * Volcano's own vGPU (its deviceshare plugin with volcano-vgpu-device-plugin, a HAMi fork): the same quantities
 * under volcano.sh names (Volcano docs, user-guide "how to use vGPU"; volcano-sh/devices device-config.yaml).
 */
export const VGPU_NUMBER = 'volcano.sh/vgpu-number';
export const VGPU_MEMORY = 'volcano.sh/vgpu-memory';
export const VGPU_MEMORY_PCT = 'volcano.sh/vgpu-memory-percentage';
export const VGPU_CORES = 'volcano.sh/vgpu-cores';
/** Volcano vGPU's per-node registration (HAMi's device list, JSON form). */
export const VOLCANO_NODE_REGISTER = 'volcano.sh/node-vgpu-register';

/** NVIDIA GPU feature discovery labels (NVIDIA/gpu-feature-discovery README, "Generated labels"). */
export const GFD_PRODUCT = 'nvidia.com/gpu.product';
/** GFD: memory of one GPU, MiB. */
export const GFD_MEMORY = 'nvidia.com/gpu.memory';
/** GFD: number of physical GPUs. */
export const GFD_COUNT = 'nvidia.com/gpu.count';
/** GFD: time-slicing replicas per GPU (the product then ends in `-SHARED`). */
export const GFD_REPLICAS = 'nvidia.com/gpu.replicas';

/**
 * HAMi's per-node device registration, written by its device plugin (Project-HAMi/HAMi
 * docs/develop/protocol.md @ 12b5870): `{uuid},{split count},{memory MiB},{cores},{type},{numa},{healthy}[,{index},{mode}]`
 * per device, each ended by `:`; newer releases write a JSON array of `{id,count,devmem,devcore,type,numa,health,index,mode}`.
 */
export const HAMI_NODE_REGISTER = 'hami.io/node-nvidia-register';
/** HAMi's handshake annotation on the node (same document). */
export const HAMI_NODE_HANDSHAKE = 'hami.io/node-handshake';
/**
 * HAMi's decision on a pod (same document; the device plugin empties `-to-allocate` once it has allocated):
 * `{uuid},{type},{memory MiB},{cores}:` per device, each container ended by `;`.
 */
export const HAMI_POD_ALLOCATED = 'hami.io/vgpu-devices-allocated';
export const HAMI_POD_TO_ALLOCATE = 'hami.io/vgpu-devices-to-allocate';
/** HAMi: the node its scheduler chose. */
export const HAMI_POD_NODE = 'hami.io/vgpu-node';
/** HAMi's per-pod policy annotations (HAMi docs, "scheduler policy"). */
export const HAMI_POLICY_ANNOTATIONS = ['hami.io/node-scheduler-policy', 'hami.io/gpu-scheduler-policy', 'nvidia.com/use-gputype', 'nvidia.com/nouse-gputype'] as const;

/** Well-known topology labels (kubernetes.io/docs/reference/labels-annotations-taints). */
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
/** No upstream rack label exists; these are the common spellings, the first one is what Slicebench writes. */
export const RACK_LABELS = ['topology.kubernetes.io/rack', 'rack'] as const;

/** Volcano: the PodGroup a pod belongs to (volcano-sh/volcano, pkg/apis scheduling v1beta1 KubeGroupNameAnnotationKey). */
export const VOLCANO_GROUP_NAME = 'scheduling.k8s.io/group-name';
/** Volcano: the queue of a pod that has no PodGroup yet (volcano-sh/volcano, QueueNameAnnotationKey). */
export const VOLCANO_QUEUE_NAME = 'scheduling.volcano.sh/queue-name';

/** KubeRay: the RayCluster a pod belongs to (ray-project/kuberay, ray-operator/controllers/ray/utils/constant.go). */
export const RAY_CLUSTER_LABEL = 'ray.io/cluster';
/** KubeRay: batch scheduler of a RayCluster (same file; `volcano` makes it one PodGroup). */
export const RAY_SCHEDULER_LABEL = 'ray.io/scheduler-name';
export const RAY_PRIORITY_LABEL = 'ray.io/priority-class-name';
/** KubeRay with Volcano: the queue label (kuberay docs, "KubeRay integration with Volcano"). */
export const RAY_VOLCANO_QUEUE_LABEL = 'volcano.sh/queue-name';

/** KWOK: marks a node as fake so the kwok controller manages it (kwok.sigs.k8s.io, "Manage nodes and pods"). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** Slicebench's own annotations: what a manifest cannot say, so an export re-imports exactly. */
export const SB_POOL = 'slicebench.io/pool';
export const SB_TOPOLOGY = 'slicebench.io/topology';
export const SB_GPU_MODEL = 'slicebench.io/gpu-model';
export const SB_NUMA_NODES = 'slicebench.io/numa-nodes';
export const SB_RACKS = 'slicebench.io/racks';
/** The pool's labels as JSON (labels that are not valid Kubernetes labels survive here). */
export const SB_LABELS = 'slicebench.io/labels';
export const SB_WORKLOAD = 'slicebench.io/workload';
export const SB_DURATION_S = 'slicebench.io/duration-s';
export const SB_ARRIVAL_S = 'slicebench.io/arrival-s';
export const SB_INTERARRIVAL_S = 'slicebench.io/interarrival-s';
export const SB_GPU_MILLI = 'slicebench.io/gpu-milli';
export const SB_GPU_MEM_MIB = 'slicebench.io/gpu-mem-mib';
/** Bookings of a pre-placed pod: `index=milli/memMiB/cores` per GPU, comma-separated. */
export const SB_GPUS = 'slicebench.io/gpus';
