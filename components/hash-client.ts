"use client";
import type { WorkerRequest, WorkerResponse } from "./hash-worker";
import { bcryptCost, MAX_VERIFIED_BCRYPT_COST } from "../lib/form";

export type HashRequest = { type: "hash"; password: string } | { type: "verify"; password: string; hash: string };

export type HashState =
  | { status: "idle" }
  | { status: "computing" }
  | { status: "ready"; hash: string }
  | { status: "mismatch" }
  /** The hash cannot be checked here (too costly) or the worker failed: the message says which. */
  | { status: "error"; message: string };

/** A password to hash, or, with `givenHash`, to check against that hash. */
export interface HashWanted {
  password: string;
  givenHash: string;
}

/** Why a request's promise rejects when a newer request for its slot replaced it. */
export class SupersededError extends Error {
  constructor() {
    super("replaced by a newer request");
    this.name = "SupersededError";
  }
}

interface Job {
  id: number;
  slot: string;
  request: HashRequest;
  resolve: (response: WorkerResponse) => void;
  reject: (error: Error) => void;
}

/**
 * One worker, one request at a time, the others queued. Each request has a slot (the scrape
 * password, pusher 2, ...): a newer request for a slot replaces its older one, waiting or
 * running, and never another slot's, so typing one password never drops another's hash.
 */
export class HashClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private queue: Job[] = [];
  private running: Job | null = null;

  /** Starts the worker ahead of the first hash, so that hash does not wait for it to load. */
  warm(): void {
    if (this.worker) return;
    this.worker = new Worker(new URL("./hash-worker.ts", import.meta.url), { type: "module" });
    // A worker whose script failed to load before any request would swallow the next one and
    // leave the preview computing forever: drop it, so that request starts a fresh worker.
    this.worker.onerror = () => this.dropWorker();
  }

  run(request: HashRequest, slot = "password"): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.queue = this.queue.filter((job) => job.slot !== slot || (job.reject(new SupersededError()), false));
      const running = this.running;
      if (running?.slot === slot) {
        // A stale hash would hold up every other slot's: stop it rather than wait.
        this.running = null;
        this.dropWorker();
        running.reject(new SupersededError());
      }
      this.queue.push({ id: ++this.nextId, slot, request, resolve, reject });
      this.next();
    });
  }

  /**
   * The hash of `wanted.password` (ready), or whether it matches `wanted.givenHash` (ready with
   * that hash, or mismatch); rejects as {@link run} does.
   */
  async hashState(wanted: HashWanted, slot: string): Promise<HashState> {
    const { password, givenHash } = wanted;
    const cost = givenHash ? bcryptCost(givenHash) : null;
    // A cost-31 hash would keep the worker busy for days.
    if (cost !== null && cost > MAX_VERIFIED_BCRYPT_COST)
      return {
        status: "error",
        message: `has cost ${cost}; this page checks hashes of cost ${MAX_VERIFIED_BCRYPT_COST} or less`,
      };
    const response = await this.run(
      givenHash ? { type: "verify", password, hash: givenHash } : { type: "hash", password },
      slot,
    );
    if ("hash" in response) return { status: "ready", hash: response.hash };
    return response.matches ? { status: "ready", hash: givenHash } : { status: "mismatch" };
  }

  private next(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    this.warm();
    const worker = this.worker!;
    const done = () => {
      this.running = null;
      this.next();
    };
    worker.onmessage = ({ data }: MessageEvent<WorkerResponse>) => {
      if (data.id !== job.id) return;
      job.resolve(data);
      done();
    };
    worker.onerror = () => {
      this.dropWorker();
      job.reject(new Error("could not be computed: the bcrypt worker failed"));
      done();
    };
    worker.postMessage({ ...job.request, id: job.id } satisfies WorkerRequest);
  }

  private dropWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** Stops the worker and drops every request. */
  terminate(): void {
    const jobs = [...(this.running ? [this.running] : []), ...this.queue];
    this.running = null;
    this.queue = [];
    this.dropWorker();
    for (const job of jobs) job.reject(new SupersededError());
  }
}
