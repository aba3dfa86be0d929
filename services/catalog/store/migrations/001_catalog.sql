-- The catalog's tables. Each resource is kept whole as the JSON form of its
-- API message in `doc` (output-only fields excluded), with the columns that
-- queries filter, order or join on alongside, and a `version` behind its etag.

CREATE TABLE institutions (
  code text PRIMARY KEY,
  kind text NOT NULL,
  doc jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terms (
  id text PRIMARY KEY,  -- '2026-1'
  year integer NOT NULL,
  semester integer NOT NULL CHECK (semester IN (1, 2)),
  application_start timestamptz NOT NULL,
  doc jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX terms_application_start ON terms (application_start);

CREATE TABLE courses (
  id uuid PRIMARY KEY,
  host_code text NOT NULL REFERENCES institutions (code),
  title text NOT NULL,
  category text NOT NULL,
  delivery_mode text NOT NULL,
  recognition_state text NOT NULL,
  doc jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_host ON courses (host_code, id);

CREATE TABLE sections (
  id uuid PRIMARY KEY,
  term_id text NOT NULL REFERENCES terms (id),
  course_id uuid NOT NULL REFERENCES courses (id),
  host_code text NOT NULL REFERENCES institutions (code),
  state text NOT NULL,
  capacity integer NOT NULL CHECK (capacity > 0),
  weekdays integer[] NOT NULL,  -- 1 = Monday .. 7 = Sunday
  doc jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sections_term ON sections (term_id, id);
CREATE INDEX sections_course ON sections (course_id);
