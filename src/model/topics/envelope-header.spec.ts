import {
  ENVELOPE_HEADER,
  envelopeField,
  type EnvelopeFields,
  envelopeHeaderValue,
  parseEnvelope,
  readEnvelope,
} from './envelope-header';
import { HeaderNames } from './header-names';

const FIELDS: EnvelopeFields = {
  schemaVersion: '3',
  producer: 'orders-service',
  eventType: 'Order',
  eventId: 'orders-service-Order-1234-v3',
};

describe('the envelope header', () => {
  it('writes the four fields after the format, in one value', () => {
    expect(envelopeHeaderValue(FIELDS)).toBe(
      '1;3;orders-service;Order;orders-service-Order-1234-v3',
    );
  });

  it('reads back what it wrote, an event id with the separator in it included', () => {
    const fields = { ...FIELDS, eventId: 'orders-service-Order-a;b-v3' };
    expect(parseEnvelope(envelopeHeaderValue(fields))).toEqual(fields);
  });

  it.each([
    ['another format', '2;3;orders-service;Order;id'],
    ['a part missing', '1;3;orders-service;Order'],
    ['an empty part', '1;;orders-service;Order;id'],
    ['no separator at all', 'orders-service'],
  ])('reads nothing from %s', (_case, value) => {
    expect(parseEnvelope(value)).toBeUndefined();
  });

  it('reads the envelope header before the four headers records were written with before it', () => {
    expect(
      readEnvelope({
        [ENVELOPE_HEADER]: envelopeHeaderValue(FIELDS),
        [HeaderNames.PRODUCER]: 'someone-else',
      }),
    ).toEqual(FIELDS);
  });

  it('reads the four headers of a record written before the envelope header, each as present', () => {
    expect(
      readEnvelope({
        [HeaderNames.EVENT_ID]: FIELDS.eventId,
        [HeaderNames.EVENT_TYPE]: FIELDS.eventType,
        [HeaderNames.SCHEMA_VERSION]: FIELDS.schemaVersion,
        [HeaderNames.PRODUCER]: FIELDS.producer,
      }),
    ).toEqual(FIELDS);
    expect(readEnvelope({ [HeaderNames.PRODUCER]: 'billing' })).toEqual({ producer: 'billing' });
  });

  it('has none for a record with neither, nor for an envelope header it cannot read', () => {
    expect(readEnvelope({ traceparent: '00-abc' })).toBeUndefined();
    expect(readEnvelope({ [ENVELOPE_HEADER]: '9;x' })).toBeUndefined();
  });

  it('reads one field of either form, and none of an envelope header it cannot read', () => {
    const single = { [ENVELOPE_HEADER]: envelopeHeaderValue({ ...FIELDS, eventId: 'a;b' }) };
    expect(envelopeField(single, 'schemaVersion')).toBe('3');
    expect(envelopeField(single, 'producer')).toBe('orders-service');
    expect(envelopeField(single, 'eventType')).toBe('Order');
    expect(envelopeField(single, 'eventId')).toBe('a;b');
    expect(envelopeField({ [HeaderNames.SCHEMA_VERSION]: '2' }, 'schemaVersion')).toBe('2');
    expect(envelopeField({ [HeaderNames.SCHEMA_VERSION]: '2' }, 'producer')).toBeUndefined();
    for (const broken of ['1;3;orders-service;Order', '1;3;;Order;id', '2;3;p;T;id', '1;3;p;T;']) {
      expect(envelopeField({ [ENVELOPE_HEADER]: broken }, 'schemaVersion')).toBeUndefined();
    }
  });
});
