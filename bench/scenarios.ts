import type { BenchContext } from './context';
import { keyOrderedScenarios } from './key-ordered-scenarios';
import type { Scenario } from './measure';
import { memoryNoopScenarios } from './memory-noop';
import { memoryRelayScenario } from './memory-relay';
import { produceScenarios } from './produce-scenarios';
import { queryScenarios } from './query-scenarios';
import { relayScenarios } from './relay-scenarios';
import { replicaScenarios } from './replica-scenarios';
import { tableRestoreScenarios } from './table-restore-scenarios';

/** Every scenario of `npm run bench`, in the order of a round (BENCH_ONLY picks among them). */
export function allScenarios(context: BenchContext): Scenario[] {
  return [
    ...produceScenarios(context),
    ...relayScenarios(context),
    memoryRelayScenario(context),
    ...keyOrderedScenarios(context),
    ...queryScenarios(context),
    ...tableRestoreScenarios(context),
    ...replicaScenarios(context),
    ...memoryNoopScenarios(context),
  ];
}

/**
 * Each `baseline` or `sameWork` that names no scenario: a misspelt one would only make its ratio
 * or share go missing from the summary, so the run refuses to start instead.
 */
export function danglingReferences(scenarios: readonly Scenario[]): string[] {
  const ids = new Set(scenarios.map((scenario) => scenario.id));
  return scenarios.flatMap((scenario) =>
    (['baseline', 'sameWork'] as const)
      .filter((field) => scenario[field] !== undefined && !ids.has(scenario[field]))
      .map((field) => `${scenario.id}: ${field} names "${scenario[field]}", which is no scenario`),
  );
}
