import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  // Integration tests share one broker; running files one at a time keeps them independent of each other's load.
  maxWorkers: process.env.CI ? 1 : '50%',
  testTimeout: 30_000,
};

export default config;
