export interface QueryServerAddress {
  readonly host: string;
  readonly port: number;
  /** Base URL of the server, e.g. `http://127.0.0.1:39811`. */
  readonly url: string;
}
