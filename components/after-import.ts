/** What the page shows only once a setup was imported: loaded then, in one piece. */
export { Provenance } from "./provenance";
export { ValuesDiff } from "./values-diff";
