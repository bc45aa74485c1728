/** The Hono environment every dashboard middleware and route shares. */
export interface DashboardEnv {
  Variables: {
    /** The signed-in user's name, or null (set by the session middleware). */
    user: string | null;
    /** The login form's CSRF token (set by the csrf middleware on GET). */
    csrfToken: string;
  };
}
