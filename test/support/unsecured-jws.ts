/**
 * An unsecured JWS (RFC 7515 with `alg: none`, RFC 7519 claims) as Kafka's unsecured OAUTHBEARER
 * validator accepts it: `base64url(header).base64url(claims).` with `sub`, `iat` and `exp` in seconds.
 */
export function unsecuredJws(claims: { sub: string; iatMs: number; expMs: number; scope?: string }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const { sub, iatMs, expMs, scope } = claims;
  return `${encode({ alg: 'none' })}.${encode({ sub, iat: iatMs / 1000, exp: expMs / 1000, ...(scope ? { scope } : {}) })}.`;
}
