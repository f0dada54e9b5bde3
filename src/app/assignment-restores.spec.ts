import { AssignmentRestores } from './assignment-restores';

const tp = (partition: number) => ({ topic: 'orders', partition });
const fail = () => Promise.reject(new Error('restore failed'));
const succeed = () => Promise.resolve();

describe('AssignmentRestores with incremental rebalances', () => {
  it('keeps waiting for a failed set while another set restores or is revoked', async () => {
    const restores = new AssignmentRestores('orders-service');
    await expect(restores.attempt([tp(0)], fail)).rejects.toThrow('restore failed');
    await restores.attempt([tp(1)], succeed);
    expect(restores.check()?.ready).toBe(false);
    expect(restores.check()?.detail).toContain('orders[0]');
    restores.revoked([tp(1)]);
    expect(restores.check()?.ready).toBe(false);
    restores.revoked([tp(0)]);
    expect(restores.check()?.ready).toBe(true);
  });
});
