-- Credit records. Everything here is append-only: attendance, assessments and
-- ledger entries gain new versions and are never changed or deleted (the
-- triggers below refuse it), so every earlier state stays readable.

-- The completion rule table: data keyed by school year and category. Adding
-- next year's rule is an INSERT (or a new migration), not a code change.
CREATE TABLE completion_rules (
  from_year integer NOT NULL,
  category text NOT NULL,  -- 'CATEGORY_UNSPECIFIED' governs every other category
  requires_attendance boolean NOT NULL,
  requires_achievement boolean NOT NULL,
  PRIMARY KEY (from_year, category)
);
INSERT INTO completion_rules VALUES
  (2025, 'CATEGORY_UNSPECIFIED', true, true),
  (2026, 'COMMON', true, true),
  (2026, 'CATEGORY_UNSPECIFIED', true, false),
  (2000, 'LIBERAL_ARTS', true, false);

CREATE TABLE attendance (
  section_id uuid NOT NULL,
  session_number integer NOT NULL,
  version integer NOT NULL,
  record bytea NOT NULL,  -- osan.credit.v1.SessionAttendance
  record_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (section_id, session_number, version)
);

CREATE TABLE assessments (
  section_id uuid NOT NULL,
  school_code text NOT NULL,
  student_key text NOT NULL,
  version integer NOT NULL,
  record bytea NOT NULL,  -- osan.credit.v1.Assessment
  record_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (section_id, school_code, student_key, version)
);

CREATE TABLE finalized_sections (
  section_id uuid PRIMARY KEY,
  finalized_by text NOT NULL,
  finalize_time timestamptz NOT NULL DEFAULT now()
);

-- One entry per student and section; each version is a row.
CREATE TABLE ledger (
  entry_id uuid NOT NULL,
  version integer NOT NULL,
  school_code text NOT NULL,
  student_key text NOT NULL,
  section_id uuid NOT NULL,
  host_code text NOT NULL,
  outcome text NOT NULL,
  entry bytea NOT NULL,  -- osan.credit.v1.LedgerEntry
  record_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entry_id, version)
);
CREATE UNIQUE INDEX ledger_student_section ON ledger (section_id, school_code, student_key, version);
CREATE INDEX ledger_student ON ledger (school_code, student_key);

CREATE TABLE acknowledgements (
  entry_id uuid NOT NULL,
  version integer NOT NULL,
  acknowledged_by text NOT NULL,
  acknowledge_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entry_id, version),
  FOREIGN KEY (entry_id, version) REFERENCES ledger
);

-- The result feed; read like enrollment's change feed (see docs/design.md).
CREATE TABLE result_events (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigserial NOT NULL,
  entry_id uuid NOT NULL,
  version integer NOT NULL,
  school_code text NOT NULL,
  PRIMARY KEY (txid, seq)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'records are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER attendance_append_only BEFORE UPDATE OR DELETE ON attendance
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
