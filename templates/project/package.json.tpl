{
  "name": "{{projectName}}",
  "version": "0.1.0",
  "private": true,
  "description": "Event-driven services on streamwise",
  "main": "dist/main.js",
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "test": "jest",
    "start": "node dist/main.js"
  },
  "engines": {
    "node": ">=20.19.4"
  },
  "dependencies": {
    "streamwise": "{{streamwiseSpec}}"
  },
  "devDependencies": {
    "@types/jest": "^30.0.0",
    "@types/node": "^20.19.0",
    "jest": "^30.2.0",
    "ts-jest": "^29.4.5",
    "typescript": "~5.9.3"
  },
  "overrides": {
    "light-my-request": "6.6.0"
  }
}
