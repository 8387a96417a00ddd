import { sql, type Kysely } from 'kysely';

/**
 * Signing a request in, in one statement (issue 3: deal registration at 200 requests a second).
 *
 * Every authenticated request looked its session (or API token) up in a transaction of its own:
 * BEGIN, the scope, the lookup, COMMIT, and now and then an update of last-seen, four or five round
 * trips before the request's own work. These functions do the same in one call made outside any
 * transaction: under the restricted role and the system scope (as inScope would set them), the
 * lookup and, when the session or token is live and last seen more than a minute ago, the update
 * of last-seen / last-used. The caller's role and scope settings are put back before returning, so
 * nothing carries on even if one is called inside a transaction. The application still decides on
 * expiry, revocation and the user's status from the row returned (identity.service.ts).
 *
 * Not executable by realign_app: a request's own transaction cannot call them to widen its scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      String.raw`
create function realign_authenticate_session(p_session_id text, p_now timestamptz)
  returns table (session_id text, csrf_token text, last_seen_at timestamptz, app_user_id uuid, email text, display_name text,
    partner_id uuid, roles text[], status text)
  language plpgsql volatile as $f$
#variable_conflict use_column
declare
  prev_role text := current_setting('role');
  prev_scope text := coalesce(current_setting('realign.scope', true), '');
  prev_user text := coalesce(current_setting('realign.user_id', true), '');
  prev_partner text := coalesce(current_setting('realign.partner_id', true), '');
begin
  perform set_config('role', 'realign_app', true), set_config('realign.scope', 'system', true),
    set_config('realign.user_id', '', true), set_config('realign.partner_id', '', true);
  return query select s.session_id, s.csrf_token, s.last_seen_at, u.app_user_id, u.email, u.display_name, u.partner_id, u.roles, u.status
    from session s join app_user u on u.app_user_id = s.app_user_id
    where s.session_id = p_session_id and s.expires_at > p_now;
  -- Last-seen is kept fresh without a write on every request: at most one a minute per session.
  update session s set last_seen_at = p_now
    from app_user u
    where s.session_id = p_session_id and s.expires_at > p_now and u.app_user_id = s.app_user_id and u.status = 'active'
      and p_now - s.last_seen_at > interval '60 seconds';
  perform set_config('role', prev_role, true), set_config('realign.scope', prev_scope, true),
    set_config('realign.user_id', prev_user, true), set_config('realign.partner_id', prev_partner, true);
end $f$;

create function realign_authenticate_api_token(p_token_hash text, p_now timestamptz)
  returns table (api_token_id uuid, scopes text[], expires_at timestamptz, revoked_at timestamptz, last_used_at timestamptz,
    app_user_id uuid, email text, display_name text, partner_id uuid, roles text[], status text)
  language plpgsql volatile as $f$
#variable_conflict use_column
declare
  prev_role text := current_setting('role');
  prev_scope text := coalesce(current_setting('realign.scope', true), '');
  prev_user text := coalesce(current_setting('realign.user_id', true), '');
  prev_partner text := coalesce(current_setting('realign.partner_id', true), '');
begin
  perform set_config('role', 'realign_app', true), set_config('realign.scope', 'system', true),
    set_config('realign.user_id', '', true), set_config('realign.partner_id', '', true);
  return query select t.api_token_id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at,
      u.app_user_id, u.email, u.display_name, u.partner_id, u.roles, u.status
    from api_token t join app_user u on u.app_user_id = t.app_user_id
    where t.token_hash = p_token_hash;
  -- Only a token that signs the request in is marked used, at most once a minute.
  update api_token t set last_used_at = p_now
    from app_user u
    where t.token_hash = p_token_hash and u.app_user_id = t.app_user_id and u.status = 'active'
      and t.revoked_at is null and t.expires_at > p_now
      and (t.last_used_at is null or p_now - t.last_used_at > interval '60 seconds');
  perform set_config('role', prev_role, true), set_config('realign.scope', prev_scope, true),
    set_config('realign.user_id', prev_user, true), set_config('realign.partner_id', prev_partner, true);
end $f$;

revoke all on function realign_authenticate_session(text, timestamptz) from public;
revoke all on function realign_authenticate_api_token(text, timestamptz) from public;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists realign_authenticate_session(text, timestamptz); drop function if exists realign_authenticate_api_token(text, timestamptz)`.execute(
    db,
  );
}
