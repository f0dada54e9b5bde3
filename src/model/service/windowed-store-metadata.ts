import type { TopicKey } from '../topics/key-serde';
import type { WindowJoinOptions } from '../windows/window-join-options';
import type { WindowedAggregatorOptions } from '../windows/windowed-aggregator-options';

/** A stream engine a service owns, with the changelog `<service>-<name>-changelog`. */
export type WindowedStoreMetadata =
  | {
      readonly property: string;
      readonly name: string;
      readonly kind: 'windowed';
      readonly options: WindowedAggregatorOptions<TopicKey, unknown, unknown>;
    }
  | {
      readonly property: string;
      readonly name: string;
      readonly kind: 'join';
      readonly options: WindowJoinOptions<TopicKey, unknown, unknown, unknown>;
    };
