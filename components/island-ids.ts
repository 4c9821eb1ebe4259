/** Ids of the islands' root elements (and the guide's status line), known to the page and the islands. */
export const GENERATOR_ID = "generator";
export const IMPORT_ID = "import";
export const GUIDE_ID = "guide";
export const GUIDE_STATUS_ID = "guide-status";
