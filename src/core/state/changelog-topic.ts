/** The compacted topic that records every change of a service's state store. */
export function changelogTopicName(service: string, store: string): string {
  return `${service}-${store}-changelog`;
}
