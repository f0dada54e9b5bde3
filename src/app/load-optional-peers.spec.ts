import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error';
import { loadOptionalPeers } from './load-optional-peers';

describe('loadOptionalPeers', () => {
  it('names the option and the packages to install when one is not installed', async () => {
    const missing = 'streamwise-no-such-package';
    const loading = loadOptionalPeers(
      'metrics.prometheus',
      ['@opentelemetry/exporter-prometheus', '@opentelemetry/sdk-metrics'],
      () => import(missing),
    );
    await expect(loading).rejects.toThrow(MissingPeerDependencyError);
    await expect(loading).rejects.toThrow(
      'The option metrics.prometheus needs @opentelemetry/exporter-prometheus and @opentelemetry/sdk-metrics, which could not be loaded. Install them next to streamwise (npm install @opentelemetry/exporter-prometheus @opentelemetry/sdk-metrics) or turn the option off.',
    );
  });

  it('returns what the packages export when they are installed', async () => {
    const sdk = await loadOptionalPeers(
      'metrics.prometheus',
      ['@opentelemetry/sdk-metrics'],
      () => import('@opentelemetry/sdk-metrics'),
    );
    expect(typeof sdk.MeterProvider).toBe('function');
  });

  it('lets any other failure through as it is', async () => {
    const failure = new SyntaxError('Unexpected token');
    await expect(
      loadOptionalPeers('metrics.prometheus', ['x'], () => Promise.reject(failure)),
    ).rejects.toBe(failure);
  });
});
