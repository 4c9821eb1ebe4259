/**
 * The page's bcrypt worker client, with a stand-in Worker: a request always settles, whatever
 * the worker did before it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HashClient, SupersededError } from "../../components/hash-client";
import type { WorkerRequest, WorkerResponse } from "../../components/hash-worker";

class FakeWorker {
  static created: FakeWorker[] = [];
  onmessage: ((event: { data: WorkerResponse }) => void) | null = null;
  onerror: (() => void) | null = null;
  terminated = false;
  received: WorkerRequest[] = [];
  constructor() {
    FakeWorker.created.push(this);
  }
  postMessage(request: WorkerRequest) {
    this.received.push(request);
  }
  terminate() {
    this.terminated = true;
  }
  /** Answers the last request as the real worker would (the hash is a stand-in). */
  answer() {
    const request = this.received.at(-1)!;
    this.onmessage?.({ data: { id: request.id, hash: `hash of ${request.password}` } });
  }
}

const realWorker = globalThis.Worker;
beforeEach(() => {
  FakeWorker.created = [];
  globalThis.Worker = FakeWorker as unknown as typeof Worker;
});
afterEach(() => {
  globalThis.Worker = realWorker;
});

describe("HashClient", () => {
  it("hashes in one worker, reused between requests", async () => {
    const client = new HashClient();
    const first = client.run({ type: "hash", password: "a" });
    FakeWorker.created[0]!.answer();
    expect(await first).toEqual({ id: 1, hash: "hash of a" });
    const second = client.run({ type: "hash", password: "b" });
    FakeWorker.created[0]!.answer();
    expect(await second).toEqual({ id: 2, hash: "hash of b" });
    expect(FakeWorker.created).toHaveLength(1);
  });

  it("replaces a busy worker instead of queueing behind a stale hash of the same slot", async () => {
    const client = new HashClient();
    const stale = client.run({ type: "hash", password: "stale" });
    const current = client.run({ type: "hash", password: "current" });
    await expect(stale).rejects.toBeInstanceOf(SupersededError);
    expect(FakeWorker.created[0]!.terminated).toBe(true);
    FakeWorker.created[1]!.answer();
    expect(await current).toEqual({ id: 2, hash: "hash of current" });
  });

  it("queues other slots' requests: typing one password never drops another's hash", async () => {
    const client = new HashClient();
    const scrape = client.run({ type: "hash", password: "scrape" }, "password");
    const first = client.run({ type: "hash", password: "b" }, "pusher-0");
    const second = client.run({ type: "hash", password: "e" }, "pusher-1");
    // Pusher 1 is typed again while both wait: only its own older request goes.
    const secondAgain = client.run({ type: "hash", password: "et" }, "pusher-1");
    await expect(second).rejects.toBeInstanceOf(SupersededError);
    const worker = FakeWorker.created[0]!;
    expect(worker.received.map((r) => r.id)).toEqual([1]);
    worker.answer();
    expect(await scrape).toEqual({ id: 1, hash: "hash of scrape" });
    worker.answer();
    expect(await first).toEqual({ id: 2, hash: "hash of b" });
    worker.answer();
    expect(await secondAgain).toEqual({ id: 4, hash: "hash of et" });
    expect(FakeWorker.created).toHaveLength(1);
    expect(worker.terminated).toBe(false);
  });

  it("restarts the worker for a slot typed again while its hash runs, keeping the others queued", async () => {
    const client = new HashClient();
    const stale = client.run({ type: "hash", password: "x" }, "pusher-0");
    const other = client.run({ type: "hash", password: "o" }, "pusher-1");
    const fresh = client.run({ type: "hash", password: "xy" }, "pusher-0");
    await expect(stale).rejects.toBeInstanceOf(SupersededError);
    expect(FakeWorker.created[0]!.terminated).toBe(true);
    const worker = FakeWorker.created[1]!;
    worker.answer();
    expect(await other).toEqual({ id: 2, hash: "hash of o" });
    worker.answer();
    expect(await fresh).toEqual({ id: 3, hash: "hash of xy" });
  });

  it("does not send a request to a warmed worker that failed to load", async () => {
    const client = new HashClient();
    client.warm();
    FakeWorker.created[0]!.onerror!();
    const request = client.run({ type: "hash", password: "p" });
    expect(FakeWorker.created).toHaveLength(2);
    expect(FakeWorker.created[0]!.received).toEqual([]);
    FakeWorker.created[1]!.answer();
    expect(await request).toEqual({ id: 1, hash: "hash of p" });
  });

  it("rejects a request whose worker fails", async () => {
    const client = new HashClient();
    const request = client.run({ type: "verify", password: "p", hash: "$2b$10$x" });
    FakeWorker.created[0]!.onerror!();
    await expect(request).rejects.toThrow("the bcrypt worker failed");
  });
});

describe("HashClient.hashState", () => {
  it("refuses to check a hash too costly for the page, without asking the worker", async () => {
    const client = new HashClient();
    const state = await client.hashState({ password: "p", givenHash: `$2b$31$${"a".repeat(53)}` }, "password-0");
    expect(state).toEqual({ status: "error", message: "has cost 31; this page checks hashes of cost 16 or less" });
    expect(FakeWorker.created).toHaveLength(0);
  });

  it("gives the worker's hash as ready", async () => {
    const client = new HashClient();
    const state = client.hashState({ password: "p", givenHash: "" }, "pusher-0");
    await Promise.resolve();
    FakeWorker.created[0]!.answer();
    expect(await state).toEqual({ status: "ready", hash: "hash of p" });
  });
});
