/**
 * The client side of one SASL exchange: the first message, then a reply to each server message
 * until the exchange is complete. Throws a `KafkaRxError` on a server message it must refuse.
 */
export interface SaslSession {
  /** The client's first message. */
  start(): Buffer;
  /** The reply to a server message, or `undefined` when the exchange has completed successfully. */
  respond(serverMessage: Buffer): Buffer | undefined;
}
