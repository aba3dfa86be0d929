-- Programmes (사업) of the Future Education Cooperation District agreement,
-- kept like the other resources: the message as JSON in `doc`, the columns
-- queries filter on beside it. Courses and sections name their programme in
-- their own `doc` (field `programme`), so they need no new column.
CREATE TABLE programmes (
  id text PRIMARY KEY,  -- '2027-osan-credit'
  year integer NOT NULL,
  doc jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX programmes_year ON programmes (year, id);

-- The public listing shows each section's programme (name and funder), so a
-- change of a programme changes the listing's version too (see
-- 002_listing_version.sql).
CREATE CONSTRAINT TRIGGER programmes_listing_version AFTER INSERT OR UPDATE OR DELETE
  ON programmes DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_listing_version();
