-- Enrollment's tables. Invariants live in the data: a section's enrolled
-- count never exceeds its capacity (CHECK), a student holds at most one live
-- application per section and one per preference rank in a term (partial
-- unique indexes), and every change to an application appends an event in the
-- same transaction.

CREATE TABLE students (
  school_code text NOT NULL,
  student_key text NOT NULL,
  grade_level integer NOT NULL CHECK (grade_level BETWEEN 1 AND 3),
  entry_year integer NOT NULL,
  display_name text NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (school_code, student_key)
);

CREATE SEQUENCE waitlist_order;

CREATE TABLE applications (
  id uuid PRIMARY KEY,
  school_code text NOT NULL,
  student_key text NOT NULL,
  term_id text NOT NULL,
  section_id uuid NOT NULL,
  section_name text NOT NULL,
  host_code text NOT NULL,
  credits integer NOT NULL,
  -- The catalog section as it was when applied for (meetings are frozen once
  -- enrolment opens), for time-conflict checks without calling catalog.
  section_snapshot bytea NOT NULL,
  preference_rank integer NOT NULL CHECK (preference_rank BETWEEN 1 AND 20),
  state text NOT NULL,
  waitlist_order bigint,
  reason text NOT NULL DEFAULT '',
  decided_by text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (school_code, student_key) REFERENCES students
);
CREATE UNIQUE INDEX applications_live_per_section ON applications (school_code, student_key, section_id)
  WHERE state IN ('SUBMITTED', 'APPROVED', 'HOST_ACCEPTED', 'ENROLLED', 'WAITLISTED');
CREATE UNIQUE INDEX applications_live_rank ON applications (school_code, student_key, term_id, preference_rank)
  WHERE state IN ('SUBMITTED', 'APPROVED', 'HOST_ACCEPTED', 'ENROLLED', 'WAITLISTED');
CREATE INDEX applications_student_term ON applications (school_code, student_key, term_id);
CREATE INDEX applications_section_state ON applications (section_id, state, waitlist_order);
CREATE INDEX applications_school ON applications (school_code, id);
CREATE INDEX applications_term_state ON applications (term_id, state);

-- One row per section with seats: the counter every seat change locks.
CREATE TABLE section_seats (
  section_id uuid PRIMARY KEY,
  capacity integer NOT NULL CHECK (capacity > 0),
  enrolled integer NOT NULL DEFAULT 0,
  CHECK (enrolled >= 0 AND enrolled <= capacity)
);

-- The change feed. Rows are ordered by (txid, seq); a reader only returns rows
-- of transactions older than every transaction still running, so a row that
-- commits late can never appear behind a cursor already handed out.
CREATE TABLE application_events (
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigserial NOT NULL,
  application_id uuid NOT NULL,
  school_code text NOT NULL,
  host_code text NOT NULL,
  application bytea NOT NULL,  -- osan.enrollment.v1.Application after the change
  commit_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (txid, seq)
);

CREATE TABLE allocation_runs (
  id uuid PRIMARY KEY,
  term_id text NOT NULL,
  run bytea NOT NULL,  -- osan.enrollment.v1.AllocationRun
  create_time timestamptz NOT NULL DEFAULT now()
);
