import { OwnsTopic } from '../../decorators/owns-topic';
import { Service } from '../../decorators/service';
import { SchemaValidationError } from '../../errors/schema-validation-error';
import { SerializationError } from '../../errors/serialization-error';
import type { JsonSchema } from '../../model/topics/topic-definition';
import { StreamService } from '../../runtime/stream-service';
import { TestBed } from '../../testing/test-bed';
import { defineTopic } from '../define-topic';

interface Line {
  id: string;
  item: { quantity: number };
}

const LineSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    item: { type: 'object', properties: { quantity: { type: 'integer' } }, required: ['quantity'] },
  },
  required: ['id', 'item'],
};

const Checked = defineTopic<Line>({
  name: 'checked-lines',
  entity: 'Line',
  key: (l) => l.id,
  schema: LineSchema,
});
const Plain = defineTopic<Line>({ name: 'plain-lines', entity: 'Line', key: (l) => l.id });

@Service('lines-service')
@OwnsTopic(Checked, Plain)
class LinesService extends StreamService {
  write(topic: typeof Checked, line: Line) {
    return this.publish(topic, line);
  }
}

// JSON has no Infinity or NaN: JSON.stringify writes them as null, a value the schema never saw.
describe('publishing a value with a non-finite number', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([LinesService]);
  });
  afterEach(() => bed.stop());

  it('throws SchemaValidationError naming the path on a topic with a JSON schema (ajv takes Infinity as an integer)', async () => {
    const line = { id: 'a', item: { quantity: Infinity } };
    const error = await bed
      .service(LinesService)
      .write(Checked, line)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).problems.join()).toContain('/item/quantity');
    expect(bed.topic(Checked).records()).toHaveLength(0);
  });

  it.each([Infinity, -Infinity, NaN])(
    'throws SerializationError naming the path for %p on a topic without a schema',
    async (quantity) => {
      const error = await bed
        .service(LinesService)
        .write(Plain, { id: 'b', item: { quantity } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SerializationError);
      expect((error as Error).message).toContain('/item/quantity');
      expect(bed.topic(Plain).records()).toHaveLength(0);
    },
  );
});
