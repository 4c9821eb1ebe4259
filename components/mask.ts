/** Shown instead of the password until the user reveals it. */
export const MASK = "••••••••";
