/**
 * Replaces the password of every URL in `text` with `***`, so connection strings can be
 * logged and put in error messages. Works on whole sentences, not only on bare URLs,
 * because driver errors sometimes quote the URL they were given.
 */
export function redactUrl(text: string): string {
  // Greedy up to the last '@' before whitespace: a password may itself hold '@' or '/'.
  // Over-masking a host is harmless; a leaked password tail is not.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):(\S*)@/gi, '$1$2:***@');
}

/** Replaces every occurrence of the given secrets in `text` with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Secrets first: once a URL is masked, a partly masked secret would no longer match.
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return redactUrl(out);
}

/** The password of a URL, decoded, or `undefined`; used to scrub it from third-party messages. */
export function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    if (!password) return undefined;
    try {
      return decodeURIComponent(password);
    } catch {
      return password;
    }
  } catch {
    return undefined;
  }
}
