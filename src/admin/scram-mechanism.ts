/** SCRAM mechanisms by Kafka's ScramMechanism codes. */
export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export const SCRAM_MECHANISM_CODES: Record<ScramMechanism, number> = {
  'SCRAM-SHA-256': 1,
  'SCRAM-SHA-512': 2,
};

export function scramMechanismName(code: number): ScramMechanism | 'UNKNOWN' {
  return code === 1 ? 'SCRAM-SHA-256' : code === 2 ? 'SCRAM-SHA-512' : 'UNKNOWN';
}
