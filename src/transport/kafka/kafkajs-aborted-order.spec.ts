import { sortAbortedTransactions } from './kafkajs-aborted-order';

describe('sortAbortedTransactions', () => {
  it('orders each partition’s aborted transactions by first offset, as 64-bit numbers', () => {
    const response = {
      responses: [
        {
          partitions: [
            {
              abortedTransactions: [
                { producerId: '7', firstOffset: '9007199254740993' },
                { producerId: '8', firstOffset: '10' },
                { producerId: '9', firstOffset: '9007199254740992' },
              ],
            },
            { abortedTransactions: [] },
          ],
        },
      ],
    };
    sortAbortedTransactions(response);
    expect(
      response.responses[0].partitions[0].abortedTransactions.map((t) => t.producerId),
    ).toEqual(['8', '9', '7']);
  });
});
