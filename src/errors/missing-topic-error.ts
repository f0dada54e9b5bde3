import { ErrorCodes } from './error-codes';
import { StreamwiseError } from './streamwise-error';

/** A topic a service reads is missing, and its owner, the one app that creates it, is elsewhere. */
export interface MissingTopic {
  readonly topic: string;
  readonly owner: string;
}

/**
 * The app will not create a topic another service owns: a typo in a consumer's definition would
 * otherwise create a topic (and its dead-letter topic) that nobody ever writes, and the consumer
 * would wait on it silently. Start the owner first, or create the topics ahead of time.
 */
export class MissingTopicError extends StreamwiseError {
  static override readonly code = ErrorCodes.MISSING_TOPIC;

  readonly missing: readonly MissingTopic[];

  constructor(missing: readonly MissingTopic[]) {
    const list = missing.map((m) => `"${m.topic}" (owner: ${m.owner})`).join(', ');
    super(
      ErrorCodes.MISSING_TOPIC,
      `Topic${missing.length === 1 ? '' : 's'} ${list} ${missing.length === 1 ? 'does' : 'do'} not exist, and ${missing.length === 1 ? 'its owner is' : 'their owners are'} not in this app, which therefore does not create ${missing.length === 1 ? 'it' : 'them'}. Check the topic name in the definition for a typo; start the owner first (its app creates the topics it owns), or create them ahead with \`streamwise topics apply <services module>\`; or pass createForeignTopics: true to StreamwiseApp.create to create them here.`,
    );
    this.missing = missing;
  }
}
