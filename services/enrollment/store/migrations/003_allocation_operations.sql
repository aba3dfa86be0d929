-- Allocation runs become long-running operations (AIP-151) whose decisions
-- are read page by page.
--
-- An operation row is written when the run is asked for and rewritten as it
-- progresses. Its runner holds a KEY SHARE lock on it for the whole run's
-- transaction, so a reader can tell a live run (row locked) from one whose
-- process died (row free, not done): such a run changed nothing, and the
-- reader marks it failed.
CREATE TABLE allocation_operations (
  id uuid PRIMARY KEY,
  term_id text NOT NULL,
  done boolean NOT NULL DEFAULT false,
  operation bytea NOT NULL,  -- osan.enrollment.v1.AllocationOperation
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

-- One row per decision of a run, in the run's order (`ordinal`).
CREATE TABLE allocation_decisions (
  run_id uuid NOT NULL,
  ordinal integer NOT NULL,
  application_id uuid NOT NULL,
  school_code text NOT NULL,
  student_key text NOT NULL,
  section_name text NOT NULL,
  outcome text NOT NULL,
  waitlist_position integer NOT NULL,
  lottery_number integer NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (run_id, ordinal)
);
CREATE INDEX allocation_decisions_section ON allocation_decisions (run_id, section_name, ordinal);
CREATE INDEX allocation_decisions_school ON allocation_decisions (run_id, school_code, ordinal);
