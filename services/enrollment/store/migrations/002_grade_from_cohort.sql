-- A student's grade is no longer stored: it follows from the cohort
-- (entry_year) and the school year asked about (common/curriculum.h), so it
-- can never go stale when a school year turns.
ALTER TABLE students DROP COLUMN grade_level;
