/** A request the server refuses: the HTTP status and the reason, sent as {"error": reason}. */
export class ServeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ServeError';
  }
}
