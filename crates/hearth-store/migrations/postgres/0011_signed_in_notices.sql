-- Server processes keep who a session belongs to for a moment (see
-- src/signed_cache.rs). Any change that could alter that answer, in any
-- process, tells every listening process to forget what it kept. A new
-- session, and a session's end moved later (on use, about once a minute),
-- change no kept answer, so they stay quiet.
CREATE FUNCTION hearth_signed_in_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hearth_signed_in', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_ended AFTER DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION hearth_signed_in_changed();
CREATE TRIGGER sessions_cut_short AFTER UPDATE ON sessions
    FOR EACH ROW
    WHEN (NEW.expires_us < OLD.expires_us
          OR NEW.user_id <> OLD.user_id
          OR NEW.token_hash <> OLD.token_hash)
    EXECUTE FUNCTION hearth_signed_in_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION hearth_signed_in_changed();
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION hearth_signed_in_changed();
