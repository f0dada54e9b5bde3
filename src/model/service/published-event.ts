/** What a publish returns: the event id, and where the record landed. */
export interface PublishedEvent {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  /** Known once written; undefined while an exactly-once transaction has not committed yet. */
  readonly offset: number | undefined;
}
