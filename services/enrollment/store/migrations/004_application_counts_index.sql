-- CountApplications pages through a term's counts by (section, home school,
-- state): this index serves its keyset, and the allocation's reading of a
-- term's waiting applications as well as the index it replaces did.
CREATE INDEX applications_term_counts ON applications (term_id, section_id, school_code, state);
DROP INDEX applications_term_state;
