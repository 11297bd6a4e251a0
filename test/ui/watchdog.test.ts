/**
 * The worker watchdog (issue 18): a worker that never answers is reported once after the quiet spell and the
 * probe's deadline; a busy worker that answers the probe (a sliced long run) is not; settled calls leave no timer.
 * The workers are comlink endpoints on a MessageChannel, as in the browser.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { watchWorker } from '../../src/ui/stores/watchdog.ts';

interface Api {
  profiles(): string[];
  load(n: number): Promise<number>;
}

const QUIET_MS = 1000;
const DEADLINE_MS = 500;
const ports: MessagePort[] = [];

/** A comlink proxy on a port whose other end runs `api`, or nothing at all (a worker that never answers). */
function remoteOf(api: Api | null): Comlink.Remote<Api> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  if (api) Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
  return Comlink.wrap<Api>(port1 as unknown as Comlink.Endpoint);
}

function watched(api: Api | null): { remote: Comlink.Remote<Api>; hangs: string[] } {
  const raw = remoteOf(api);
  const hangs: string[] = [];
  const remote = watchWorker(raw, { probe: () => raw.profiles(), onHang: (m) => hangs.push(m), quietMs: QUIET_MS, deadlineMs: DEADLINE_MS });
  return { remote, hangs };
}

/** Lets real message-port deliveries through while fake time moves. */
async function pass(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await vi.advanceTimersByTimeAsync(100);
    await new Promise((r) => setImmediate(r));
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  for (const p of ports.splice(0)) p.close();
});

describe('watchWorker', () => {
  it('reports a worker that never answers once, naming the call, after the quiet spell and the deadline', async () => {
    const { remote, hangs } = watched(null);
    void remote.load(1);
    await pass(QUIET_MS + DEADLINE_MS - 200);
    expect(hangs).toEqual([]);
    await pass(400);
    expect(hangs).toEqual(['the simulation worker stopped answering (no answer to load() for 2 s)']);
    // Reported once; the next call that hangs is reported again.
    await pass(5000);
    expect(hangs.length).toBe(1);
    void remote.load(2);
    await pass(QUIET_MS + DEADLINE_MS + 200);
    expect(hangs.length).toBe(2);
  });

  it('a busy worker that answers the probe (a long sliced run) is not reported, and its answer passes through', async () => {
    let finish!: () => void;
    const { remote, hangs } = watched({ profiles: () => ['k8s-default'], load: (n) => new Promise((r) => (finish = () => r(n * 2))) });
    const answer = remote.load(21);
    await pass(5 * (QUIET_MS + DEADLINE_MS));
    expect(hangs).toEqual([]);
    finish();
    await expect(answer).resolves.toBe(42);
    expect(hangs).toEqual([]);
  });

  it('answered calls leave no timer behind and report nothing', async () => {
    const { remote, hangs } = watched({ profiles: () => [], load: async (n) => n + 1 });
    await expect(remote.load(1)).resolves.toBe(2);
    await expect(remote.profiles()).resolves.toEqual([]);
    await pass(200);
    expect(vi.getTimerCount()).toBe(0);
    await pass(QUIET_MS + DEADLINE_MS);
    expect(hangs).toEqual([]);
  });
});
