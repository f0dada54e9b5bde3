export interface StateStoreOptions {
  /** 'number' for numeric keys, so entries() gives them back as numbers (default 'string'). */
  readonly keyType?: 'string' | 'number';
}

export interface StateStoreMetadata {
  readonly property: string;
  /** kebab-case; the changelog topic is `<service>-<name>-changelog`. */
  readonly name: string;
  readonly keyType: 'string' | 'number';
}
