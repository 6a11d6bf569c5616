/**
 * The GitHub REST client library code takes as an argument (the action builds the real one over fetch with
 * GITHUB_API_URL and the token; tests point it at a local stand-in). Non-2xx answers throw GitHubHttpError.
 */

export interface GitHubRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path with parameters filled in, e.g. `/repos/octo/app/issues/2/comments`. */
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

export interface GitHubResponse<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

export interface GitHubClient {
  request<T = unknown>(req: GitHubRequest): Promise<GitHubResponse<T>>;
}

export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds from a `retry-after` header (secondary rate limits), when given. */
    readonly retryAfter: number | null = null,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'GitHubHttpError';
  }
}

/**
 * A request that could not even be built (a header value fetch refuses, such as a token with a line break):
 * it never reached GitHub, and sending it again cannot help, so no caller retries it. Its message never
 * holds a header value.
 */
export class GitHubRequestBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubRequestBuildError';
  }
}
