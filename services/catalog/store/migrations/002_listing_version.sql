-- The public listing's version: one row whose counter every transaction that
-- writes institutions, terms, courses or sections bumps before it commits,
-- so that catalog replicas serving the listing from memory (see
-- services/catalog/api/public_listing.h) can tell cheaply whether what they
-- hold is current. `epoch` tells one database from another (a counter alone
-- restarts with a new database).
--
-- The bump is a deferred constraint trigger: it runs at commit, inside the
-- writing transaction, so the counter changes exactly when the change
-- becomes visible, and the row is locked only for the last moment of each
-- transaction (catalog writes serialise there, never on each other's rows).
CREATE TABLE listing_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  epoch text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text),
  counter bigint NOT NULL DEFAULT 1
);
INSERT INTO listing_version DEFAULT VALUES;

CREATE FUNCTION bump_listing_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE listing_version SET counter = counter + 1;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER institutions_listing_version AFTER INSERT OR UPDATE OR DELETE
  ON institutions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_listing_version();
CREATE CONSTRAINT TRIGGER terms_listing_version AFTER INSERT OR UPDATE OR DELETE
  ON terms DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_listing_version();
CREATE CONSTRAINT TRIGGER courses_listing_version AFTER INSERT OR UPDATE OR DELETE
  ON courses DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_listing_version();
CREATE CONSTRAINT TRIGGER sections_listing_version AFTER INSERT OR UPDATE OR DELETE
  ON sections DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_listing_version();
