/**
 * The order in which HAMi's scheduler meets a node's cards: the order the device plugin registered them, which is
 * not index order. HAMi v2.10.0 (Project-HAMi/HAMi @ 4707fb0):
 * - the device plugin builds its device map `rm.Devices` (a Go `map[string]*Device` keyed by UUID) by visiting the
 *   GPUs in NVML index order (pkg/device-plugin/nvidiadevice/nvinternal/rm/device_map.go buildGPUDeviceMap, insert);
 * - every register pass lists the cards with `for UUID := range devs` over that map and writes the list as the
 *   node annotation `hami.io/node-nvidia-register` in that order (plugin/register.go getAPIDevices,
 *   RegisterInAnnotation); the pass repeats every 30 s and re-patches whenever the encoded list differs
 *   (WatchAndRegister successSleepInterval, the deviceCache comparison), so a new order replaces the old one;
 * - the scheduler decodes the annotation in order (pkg/device/devices.go UnMarshalNodeDevices), picks up a changed
 *   annotation on its 15 s register tick (pkg/scheduler/scheduler.go register, nvidia CheckHealth compares the
 *   annotation) and builds each pod's card list in that order (buildNodeUsage). `sort.Sort` on ≤ 12 cards is an
 *   insertion sort (stable), so cards the GPU policy ranks equal keep the registration order, and Fit scans from
 *   the end: the equal card registered last is taken first.
 *
 * Go's map iteration (Go 1.26, the module's toolchain; src/internal/runtime/maps/table.go Iter.Init/Next): a map
 * of at most 8 entries is one group of 8 slots, filled in insertion order, and a range starts at a random slot
 * (`entryOffset = rand()`) and wraps, skipping empty slots. So a node with n ≤ 8 cards registers a rotation of
 * index order: it starts at card k (1 ≤ k < n) with probability 1/8 and at card 0 with probability (9 − n)/8.
 * Above 8 entries the map is a hashed table with a per-map random hash seed; we draw a uniform permutation there.
 *
 * Ours: each node re-registers every 30 s of simulated time at a seeded phase of its own, each time with a fresh
 * seeded draw, a pure function of (the scheduler stream's seed, node name, epoch) so both engines and every rerun
 * see the same order.
 */
import { hashString, Rng } from '../../core/rng.ts';

/** The device plugin's register period (register.go WatchAndRegister successSleepInterval), seconds. */
export const REGISTER_INTERVAL_S = 30;

/** Slots of a Go map group: a map of at most this many entries is iterated as one rotated group. */
const GO_MAP_GROUP_SLOTS = 8;

/** Which register pass of a node is in force at `nowS`: the node's seeded phase in [0, 30 s), then one per 30 s. */
export function registrationEpoch(seed: number, nodeName: string, nowS: number): number {
  const phaseMs = hashString(`register-phase:${nodeName}`, seed) % (REGISTER_INTERVAL_S * 1000);
  return Math.floor((nowS + phaseMs / 1000) / REGISTER_INTERVAL_S);
}

/**
 * Card positions 0..count−1 in the order one register pass lists them: for ≤ 8 cards the slots from a uniform
 * start slot of 8, wrapping, empty slots skipped (Go's small-map range); above 8 a uniform permutation.
 */
export function registrationOrder(count: number, seed: number, nodeName: string, epoch: number): number[] {
  const rng = new Rng(hashString(`register:${nodeName}:${epoch}`, seed));
  const cards = Array.from({ length: count }, (_, i) => i);
  if (count > GO_MAP_GROUP_SLOTS) return rng.shuffle(cards);
  const start = rng.int(GO_MAP_GROUP_SLOTS);
  return rotationFromSlot(count, start);
}

/** A one-group Go map range from slot `start` over cards held in slots 0..count−1 (slots ≥ count are empty). */
export function rotationFromSlot(count: number, start: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < GO_MAP_GROUP_SLOTS; i++) {
    const slot = (start + i) % GO_MAP_GROUP_SLOTS;
    if (slot < count) out.push(slot);
  }
  return out;
}
