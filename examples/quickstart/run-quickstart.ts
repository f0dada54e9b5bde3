import type { DeliveredRecord } from '../../src';
import {
  DeadLetterHeaderNames,
  deadLetterTopicName,
  partitionForKey,
  readEnvelope,
  SilentLogger,
  StreamwiseApp,
} from '../../src';
import { MemoryBroker, MemoryTransport } from '../../src/testing';
import { PurchasingService } from './purchasing-service';
import { ReorderRequests, StockMovements } from './topics';
import { WarehouseService } from './warehouse-service';

/**
 * Runs the two quickstart services on the embedded broker, feeds the warehouse a day of
 * movements (and one malformed record), and reports every record that flows through the topics.
 */
export async function runQuickstart(print: (line: string) => void): Promise<void> {
  const broker = new MemoryBroker();
  const app = StreamwiseApp.create({
    services: [WarehouseService, PurchasingService],
    transport: new MemoryTransport({ broker }),
    logger: new SilentLogger(),
  });
  await app.start();

  // A tap: its own consumer group reads every topic, as any new subscriber could (principle 3).
  const tap = new MemoryTransport({ broker });
  await tap.connect();
  const topics = [
    StockMovements.name,
    ReorderRequests.name,
    deadLetterTopicName(StockMovements.name),
  ];
  await tap.subscribe({
    groupId: 'quickstart-tap',
    topics,
    offsetReset: 'earliest',
    handle: (record) => {
      print(describe(record));
      return Promise.resolve();
    },
  });

  print('warehouse-service records movements; purchasing-service reorders below 5 units.\n');
  const warehouse = app.service(WarehouseService);
  await warehouse.record({ sku: 'boots', delta: 12, reason: 'delivery' });
  await warehouse.record({ sku: 'scarves', delta: 8, reason: 'delivery' });
  await warehouse.record({ sku: 'boots', delta: -6, reason: 'shipment' });
  await warehouse.record({ sku: 'scarves', delta: -2, reason: 'shipment' });
  await warehouse.record({ sku: 'boots', delta: -3, reason: 'shipment' });
  // Bytes no JSON parser accepts: the consumer dead-letters them and carries on.
  const key = Buffer.from('boots');
  await tap.produce(StockMovements.name, [
    {
      key,
      value: Buffer.from('{oops'),
      partition: partitionForKey(key, StockMovements.partitions),
    },
  ]);
  await warehouse.record({ sku: 'scarves', delta: -4, reason: 'shipment' });
  await broker.settled();

  const purchasing = app.service(PurchasingService);
  print(`\nlevels: boots=${purchasing.level('boots')} scarves=${purchasing.level('scarves')}`);
  await tap.disconnect();
  await app.stop();
}

function describe(record: DeliveredRecord): string {
  const where = `${record.topic}[${record.partition}]@${record.offset}`.padEnd(26);
  const id = readEnvelope(record.headers)?.eventId ?? '(no event id)';
  const value = record.value?.toString('utf8') ?? 'null';
  const reason = record.headers[DeadLetterHeaderNames.REASON];
  const suffix =
    reason === undefined
      ? ''
      : `  <- ${reason}: ${record.headers[DeadLetterHeaderNames.ERROR_MESSAGE]}`;
  return `${where} ${id.padEnd(72)} ${value}${suffix}`;
}
