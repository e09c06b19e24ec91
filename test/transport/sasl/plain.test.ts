import { plainSession } from '../../../src/transport/sasl/plain';

describe('SASL PLAIN', () => {
  it('sends the RFC 4616 message (example from section 4) and is done after one round', () => {
    const session = plainSession('tim', 'tanstaaftanstaaf');
    expect(session.start()).toEqual(Buffer.from('\u0000tim\u0000tanstaaftanstaaf'));
    expect(session.respond(Buffer.alloc(0))).toBeUndefined();
  });
});
