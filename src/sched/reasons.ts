/** Formats unschedulable reasons the way `kubectl describe pod` shows them. */

/** `0/12 nodes are available: 4 Insufficient cpu, 8 Insufficient nvidia.com/gpu.` (reasons sorted by text). */
export function formatUnschedulable(totalNodes: number, rejected: Record<string, number>): string {
  const parts = Object.entries(rejected)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([reason, count]) => `${count} ${reason}`);
  return `0/${totalNodes} nodes are available${parts.length ? ': ' + parts.join(', ') : ''}.`;
}
