/**
 * zod, configured before any schema is built: it compiles fast paths with `new Function` (and
 * probes for it) unless told not to, and the page's CSP forbids eval. Every module that builds a
 * schema imports `z` from here, so no schema exists before this runs.
 */
import { z } from "zod";

z.config({ jitless: true });

export { z };
