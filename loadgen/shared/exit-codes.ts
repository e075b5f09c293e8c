/** Exit codes of every command: success, records failed or missing (or the run could not be done), bad usage, a threshold failed. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** A --threshold failed (k6's code, so pipelines tell it from a broken run). */
export const EXIT_THRESHOLDS = 99;
