/**
 * A protocol error in a well-formed OpenID4VP request (OpenID4VP 1.0 §A.4): the
 * Digital Credentials API promise resolves with `data: { error, error_description }`
 * and no window opens. `description` says exactly what is wrong.
 */
export class ProtocolError extends Error {
  readonly error = 'invalid_request' as const;
  readonly description: string;

  constructor(description: string) {
    super(description);
    this.name = 'ProtocolError';
    this.description = description;
  }

  /** The `data` the Digital Credentials API call resolves with. */
  toResponseData(): { error: 'invalid_request'; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/**
 * The holder's choices do not fit the request (a record not offered for a query,
 * two credentials where `multiple` is false, a credential set left unsatisfied...).
 * A wallet bug or a tampered approval, never the requester's fault.
 */
export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}
