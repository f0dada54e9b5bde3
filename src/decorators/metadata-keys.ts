/** Where each decorator stores its metadata; namespaced so nothing else collides with it. */
export const MetadataKeys = {
  SERVICE: 'streamwise:service',
  EVENT_HANDLERS: 'streamwise:event-handlers',
  OWNED_TOPICS: 'streamwise:owned-topics',
  MATERIALIZED: 'streamwise:materialized',
  STATE_STORES: 'streamwise:state-stores',
  WINDOWED_STORES: 'streamwise:stream-states',
  QUERIES: 'streamwise:queries',
  REPLICAS: 'streamwise:replicas',
} as const;
