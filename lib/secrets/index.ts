/**
 * What the page loads when Sealed Secrets is chosen: the certificate check and the sealing of
 * a generated bundle, the same code the CLI runs (through lib/index.ts), and the form's
 * certificate field.
 */
export { SEALING_CERTIFICATE_FIELD } from "../config/sealing-field";
export { readSealingCertificate } from "./certificate";
export type { SealingCertificate } from "./certificate";
export { filesWithSecrets, sealBundle } from "./seal-bundle";
export { RANDOM_BYTES_PER_VALUE } from "./seal";
export type { SealingScope, SealRandom } from "./seal";
