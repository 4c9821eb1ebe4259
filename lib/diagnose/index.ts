/** The import, diagnosis and merge: loaded by the page only when a setup is pasted. */
export { diagnoseSetup } from "./diagnose";
export { formatSource } from "../rules/evidence";
export { fixSetup } from "./fix-setup";
export { importSetup } from "./import-setup";
