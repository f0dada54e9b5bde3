import { Container, inject, injectable } from 'inversify';

import { defineTopic } from '../codec/define-topic';
import { EventHandler } from '../decorators/event-handler';
import { OwnsTopic } from '../decorators/owns-topic';
import { Service } from '../decorators/service';
import { ConfigurationError } from '../errors/configuration-error';
import { StreamService } from '../runtime/stream-service';
import { TestBed } from '../testing/test-bed';
import { MemoryTransport } from '../transport/memory/memory-transport';
import { StreamwiseApp } from './streamwise-app';

const Signups = defineTopic<{ email: string }>({
  name: 'signups',
  entity: 'Signup',
  key: (s) => s.email,
});

@injectable()
class Mailer {
  readonly sent: string[] = [];
  send(to: string): void {
    this.sent.push(to);
  }
}

const GREETING = Symbol('greeting');

@Service('signup-source')
@OwnsTopic(Signups)
class SignupSource extends StreamService {}

@Service('welcome-service')
class WelcomeService extends StreamService {
  constructor(
    private readonly mailer: Mailer,
    @inject(GREETING) readonly greeting: string,
  ) {
    super();
  }

  @EventHandler(Signups)
  welcome(signup: { email: string }): void {
    this.mailer.send(`${this.greeting} ${signup.email}`);
  }
}

describe('services get their dependencies from the inversify container', () => {
  it('injects by class type and by token, as singletons shared with the caller', async () => {
    const container = new Container();
    container.bind(Mailer).toSelf().inSingletonScope();
    container.bind(GREETING).toConstantValue('Welcome,');
    const bed = await TestBed.start([SignupSource, WelcomeService], { container });
    await bed.send(Signups, { email: 'ann@example.com' });
    await bed.drain();
    expect(container.get(Mailer).sent).toEqual(['Welcome, ann@example.com']);
    expect(bed.service(WelcomeService).greeting).toBe('Welcome,');
    await bed.stop();
  });

  it('fails start-up when a dependency is not bound, naming it', async () => {
    const failure = TestBed.start([SignupSource, WelcomeService]);
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/Cannot create WelcomeService: .*(Mailer|greeting)/s);
  });

  it('refuses a @Service class that does not extend StreamService', () => {
    @Service('plain-service')
    class PlainService {}
    expect(() =>
      StreamwiseApp.create({ services: [PlainService as never], transport: new MemoryTransport() }),
    ).toThrow(ConfigurationError);
    expect(() =>
      StreamwiseApp.create({ services: [PlainService as never], transport: new MemoryTransport() }),
    ).toThrow('PlainService must extend StreamService');
  });
});
