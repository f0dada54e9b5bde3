import { MemoryPartition } from './memory-partition';

export class MemoryTopic {
  readonly name: string;
  readonly compacted: boolean;
  readonly config: Readonly<Record<string, string>>;
  readonly partitions: readonly MemoryPartition[];

  constructor(
    name: string,
    partitions: number,
    compacted: boolean,
    config: Record<string, string>,
  ) {
    this.name = name;
    this.compacted = compacted;
    this.config = config;
    this.partitions = Array.from({ length: partitions }, (_, i) => new MemoryPartition(name, i));
  }
}
