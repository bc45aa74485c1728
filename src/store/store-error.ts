import { TokyobetaError } from "../errors.js";

/** The dump store could not do what was asked (object missing, refused overwrite, I/O failure). */
export class StoreError extends TokyobetaError {}
