// The delaying proxy's process (see link-delay.ts): argv broker, delay in ms; sends its address.
import { KafkaFaultProxy } from '../test/support/kafka-fault-proxy';

const [broker = '', delay = '0'] = process.argv.slice(2);

KafkaFaultProxy.start(broker, { delayMs: Number(delay) }).then(
  (proxy) => {
    process.send?.(proxy.address);
    const close = (): void => {
      void proxy.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', close);
    // The benchmark ended without stopping it (killed, crashed): so does the proxy.
    process.on('disconnect', close);
  },
  (error: unknown) => {
    process.stderr.write(`delaying proxy failed: ${String(error)}\n`);
    process.exit(1);
  },
);
