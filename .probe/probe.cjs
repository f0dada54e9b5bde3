const k = require('@platformatic/kafka');
(async () => {
  const base = { clientId: 'probe', bootstrapBrokers: ['127.0.0.1:9492'], retries: 2 };
  const admin = new k.Admin(base);
  const t = 'probe-' + Date.now();
  console.log(await admin.createTopics({ topics: [t], partitions: 3, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] }));
  const md = await admin.metadata({ topics: [t] });
  console.log(md.topics.get(t).partitionsCount);
  const cfg = await admin.describeConfigs({ resources: [{ resourceType: k.ConfigResourceTypes.TOPIC, resourceName: t, configurationKeys: ['cleanup.policy'] }] });
  console.log(JSON.stringify(cfg, (k2, v) => typeof v === 'bigint' ? String(v) : v).slice(0, 400));
  const producer = new k.Producer({ ...base, idempotent: true, acks: k.ProduceAcks.ALL });
  const r = await producer.send({ messages: [
    { topic: t, key: Buffer.from('a'), value: Buffer.from('1'), partition: 2, headers: new Map([[Buffer.from('h'), Buffer.from('x')]]), timestamp: BigInt(Date.now()) },
    { topic: t, key: Buffer.from('b'), value: null, partition: 2 },
    { topic: t, key: Buffer.from('c'), value: Buffer.from('3'), partition: 0 },
  ] });
  console.log(JSON.stringify(r, (k2, v) => typeof v === 'bigint' ? String(v) : v));
  const lo = await admin.listOffsets({ topics: [{ name: t, partitions: [0,1,2].map(p => ({ partitionIndex: p, timestamp: -1n })) }] });
  console.log(JSON.stringify(lo, (k2, v) => typeof v === 'bigint' ? String(v) : v));
  await admin.alterConsumerGroupOffsets({ groupId: 'g-' + t, topics: [{ name: t, partitionOffsets: [{ partition: 2, offset: 1n }] }] });
  const co = await admin.listConsumerGroupOffsets({ groups: ['g-' + t] });
  console.log(JSON.stringify(co, (k2, v) => typeof v === 'bigint' ? String(v) : v));
  await admin.deleteTopics({ topics: [t] });
  console.log(await admin.listTopics());
  await producer.close(); await admin.close();
  const t0 = Date.now();
  const bad = new k.Admin({ clientId: 'x', bootstrapBrokers: ['127.0.0.1:8481'], retries: 0, connectTimeout: 1000, requestTimeout: 2000 });
  try { await bad.listTopics(); } catch (e) { console.log('bad port:', e.code, e.message, Date.now() - t0, 'ms', e.errors?.map(x => x.message)); }
  await bad.close();
})().catch((e) => { console.error('ERR', e); process.exit(1); });
