"use client";
import type { WorkerRequest, WorkerResponse } from "./hash-worker";

export type HashRequest = { type: "hash"; password: string } | { type: "verify"; password: string; hash: string };

/** One worker at a time; a request that arrives while another runs replaces it. */
export class HashClient {
  private worker: Worker | null = null;
  private nextId = 0;
  private busy = false;

  /** Starts the worker ahead of the first hash, so that hash does not wait for it to load. */
  warm(): void {
    if (this.worker) return;
    this.worker = new Worker(new URL("./hash-worker.ts", import.meta.url), { type: "module" });
    // A worker whose script failed to load before any request would swallow the next one and
    // leave the preview computing forever: drop it, so that request starts a fresh worker.
    this.worker.onerror = () => this.terminate();
  }

  run(request: HashRequest): Promise<WorkerResponse> {
    if (this.busy) this.terminate();
    this.warm();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.busy = true;
      this.worker!.onmessage = ({ data }: MessageEvent<WorkerResponse>) => {
        if (data.id !== id) return;
        this.busy = false;
        resolve(data);
      };
      this.worker!.onerror = () => {
        this.terminate();
        reject(new Error("could not be computed: the bcrypt worker failed"));
      };
      this.worker!.postMessage({ ...request, id } satisfies WorkerRequest);
    });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
  }
}
