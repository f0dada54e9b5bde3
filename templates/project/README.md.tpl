# {{projectName}}

Event-driven services on [streamwise](https://github.com/streamwise/streamwise).

```sh
npm install
npm test        # the services' TestBed specs: no broker needed
npm run build   # TypeScript to dist/
npm start       # runs every service of src/services.ts on an in-memory broker, HTTP on :3000
```

Try it while it runs:

```sh
curl -i -X POST localhost:3000/v1/tasks -H 'content-type: application/json' -d '{"id":"t-1","title":"try streamwise"}'
curl localhost:3000/v1/tasks/t-1
```

On Kafka: `KAFKA_BROKERS=127.0.0.1:9092 npm start` (and `SCHEMA_REGISTRY_URL=...` to write topics
with a schema in the registry's wire format). `PORT` changes the HTTP port.

## Next steps

- `src/services/tasks-service-topics.ts` defines the `tasks` topic: its key, partitions, JSON Schema
  and its owner. Replace it with your own events.
- `npx streamwise new service <name>` adds a service (its topics, the service and a TestBed spec)
  under `src/services` and registers it in `src/services.ts`.
- `npx streamwise topology dist/services.js` (after `npm run build`) prints who owns, reads and
  answers what.
- package.json pins `light-my-request` (used by `TestBed.inject`) to 6.6.0: later versions load
  the ESM-only `cookie` 1.x, which Jest cannot `require`.
- Keep `experimentalDecorators`, `emitDecoratorMetadata` and `useDefineForClassFields: false` in
  tsconfig.json: streamwise's decorators need them.
