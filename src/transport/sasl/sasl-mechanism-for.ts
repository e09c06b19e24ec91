import type { Clock } from '../../time/clock';
import { oauthBearerMechanism } from './oauthbearer';
import { plainMechanism } from './plain';
import { scramMechanism } from './scram';
import type { SaslMechanism } from './sasl-mechanism';
import type { SaslOptions } from './sasl-options';

/** The mechanism that `sasl` options name: one of kafka-rx's own, or the user's object as is. */
export function saslMechanismFor(options: SaslOptions, clock: Clock): SaslMechanism {
  if (typeof options.mechanism === 'object') return options.mechanism;
  switch (options.mechanism) {
    case 'plain':
      return plainMechanism(options.username, options.password);
    case 'scram-sha-256':
      return scramMechanism('sha256', options.username, options.password);
    case 'scram-sha-512':
      return scramMechanism('sha512', options.username, options.password);
    case 'oauthbearer':
      return oauthBearerMechanism(options.tokenProvider, clock);
  }
}
