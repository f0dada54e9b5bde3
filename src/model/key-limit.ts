/**
 * The largest record key streamwise publishes, in UTF-8 bytes (serialized). Keys travel in URL
 * paths (key-routed GETs, Location headers) and in every record of their partition, so they stay
 * small; the query server routes any path param up to this many characters, so every key a
 * command may publish can be read back by GET.
 */
export const MAX_KEY_BYTES = 1_000;
