/**
 * bcrypt off the main thread: hashing takes about 100 ms in a browser, far too long for a
 * keystroke. Messages carry the password only between this page and its own worker.
 */
import { compareSync, hashSync } from "bcryptjs";
import { BCRYPT_COST } from "../lib/form";

export type WorkerRequest =
  { id: number; type: "hash"; password: string } | { id: number; type: "verify"; password: string; hash: string };

export type WorkerResponse = { id: number; hash: string } | { id: number; matches: boolean };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage: (message: WorkerResponse) => void;
};

scope.onmessage = ({ data }) => {
  if (data.type === "hash") scope.postMessage({ id: data.id, hash: hashSync(data.password, BCRYPT_COST) });
  else scope.postMessage({ id: data.id, matches: compareSync(data.password, data.hash) });
};
