/**
 * Something that says "I may have changed" (a table, a store). Long polls re-check their
 * condition on every call, so a notifier may fire more often than strictly needed.
 * `MaterializedTable` already has this shape.
 */
export interface ChangeNotifier {
  /** Calls `listener` after every change until the returned function is called. */
  onChange(listener: () => void): () => void;
}
