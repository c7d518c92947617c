/** Attempts of one send job (transient errors retry with backoff until then). */
export const SEND_MAX_ATTEMPTS = 6;
