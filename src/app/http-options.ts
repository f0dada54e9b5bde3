/** Where the app serves its @Query routes and /health endpoints. */
export interface HttpOptions {
  /** Default 127.0.0.1; 0.0.0.0 serves other hosts. */
  readonly host?: string;
  /** Default 0: a free port, see `app.httpUrl` after start. */
  readonly port?: number;
  /**
   * The URL other instances use to reach this one when they forward a key-routed query (default:
   * the address the server listens on, right for one host).
   */
  readonly advertisedUrl?: string;
}
