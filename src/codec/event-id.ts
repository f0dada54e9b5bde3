/** `<service>-<Entity>-<entityId>-v<version>`, e.g. `orders-service-Order-1234-v3`. */
export function eventId(
  service: string,
  entity: string,
  entityId: string,
  version: number,
): string {
  return `${service}-${entity}-${entityId}-v${version}`;
}
