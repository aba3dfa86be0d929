-- The rules of the school record as data, each row naming its source:
-- completion rules by curriculum, school year and subject kind (replacing
-- 001's table keyed by school year and category), the remarks (비고) labels by
-- host kind and delivery mode, and the kinds of minimum-achievement support.
-- A change of rule is a new row (or a new migration), not a code change.
--
-- Selection (services/credit/domain/rules.h): among the rows that match, the
-- one with the greatest first_school_year not after the term's school year;
-- a row of the exact kind (or delivery mode) beats the catch-all.

DROP TABLE completion_rules;

-- 이수 기준. curriculum is an id of common/curriculum.h ("2015", "2022"); a
-- student's curriculum follows from the cohort (entry year).
CREATE TABLE completion_rules (
  curriculum text NOT NULL,
  first_school_year integer NOT NULL CHECK (first_school_year BETWEEN 2000 AND 2100),
  subject_kind text NOT NULL
    CHECK (subject_kind IN ('COMMON_SUBJECT', 'ELECTIVE_SUBJECT', 'LIBERAL_ARTS_SUBJECT',
                            'ANY_SUBJECT')),
  requires_attendance boolean NOT NULL,
  -- Attended sessions >= numerator / denominator of the sessions held.
  attendance_numerator integer NOT NULL CHECK (attendance_numerator > 0),
  attendance_denominator integer NOT NULL CHECK (attendance_denominator >= attendance_numerator),
  requires_achievement boolean NOT NULL,
  minimum_achievement_rate double precision NOT NULL
    CHECK (minimum_achievement_rate > 0 AND minimum_achievement_rate <= 100),
  -- LevelRule names (credit.proto): what the achievement column shows for a
  -- rate below the minimum, after satisfied remedial instruction, and for a
  -- course not completed.
  below_minimum_level text NOT NULL
    CHECK (below_minimum_level IN ('INCOMPLETE_MARK', 'LOWEST_LEVEL')),
  remedied_level text NOT NULL CHECK (remedied_level IN ('INCOMPLETE_MARK', 'LOWEST_LEVEL')),
  incomplete_level text NOT NULL
    CHECK (incomplete_level IN ('INCOMPLETE_MARK', 'LOWEST_LEVEL', 'ASSESSED_LEVEL')),
  incomplete_mark text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source <> ''),
  marks_source text NOT NULL CHECK (marks_source <> ''),
  PRIMARY KEY (curriculum, first_school_year, subject_kind),
  CHECK (incomplete_mark <> ''
         OR 'INCOMPLETE_MARK' NOT IN (below_minimum_level, remedied_level, incomplete_level))
);

INSERT INTO completion_rules VALUES
  -- Cohorts that entered up to 2024: attendance only, every subject; the
  -- achievement column is never the incomplete mark.
  ('2015', 2018, 'ANY_SUBJECT', true, 2, 3, false, 40,
   'LOWEST_LEVEL', 'LOWEST_LEVEL', 'ASSESSED_LEVEL', '',
   '2015 개정 교육과정 총론 (교육부 고시 제2015-74호) 및 2025학년도 학교생활기록부 기재요령 '
   '(2015 개정 교육과정 적용 학년): 과목 이수는 수업 횟수 2/3 이상 출석만 요구',
   '2025학년도 학교생활기록부 기재요령 (2015 개정 교육과정 적용 학년): 성취율 40% 미만도 '
   '최저 성취도 (A-E의 E, A-C의 C), 미도달 I 표기 없음 (unverified)'),
  -- 2022 curriculum, school year 2025: attendance and achievement, every
  -- subject (liberal arts below).
  ('2022', 2025, 'ANY_SUBJECT', true, 2, 3, true, 40,
   'INCOMPLETE_MARK', 'LOWEST_LEVEL', 'INCOMPLETE_MARK', 'I',
   '교육부 2024-09 고교학점제 과목 이수 기준 (2022 개정 교육과정, 2025학년도 입학생부터): '
   '수업 횟수 2/3 이상 출석과 학업성취율 40% 이상',
   '2025학년도 학교생활기록부 기재요령: 학업성취율 40% 미만은 I (미도달), 최소 성취수준 '
   '보장지도 (보충지도) 이수 시 최저 성취도 (E) 부여, 미이수 과목은 I'),
  -- 교양: attendance only, in every year of the 2022 curriculum.
  ('2022', 2025, 'LIBERAL_ARTS_SUBJECT', true, 2, 3, false, 40,
   'LOWEST_LEVEL', 'LOWEST_LEVEL', 'INCOMPLETE_MARK', 'I',
   '2022 개정 교육과정 총론 (교육부 고시 제2022-33호): 교양 교과는 출석률 (수업 횟수 2/3 이상)만으로 이수',
   '2022 개정 교육과정 총론: 교양 교과는 성취도 없이 P (이수), 미이수 과목은 I'),
  -- From 2026: common subjects both, electives attendance only.
  ('2022', 2026, 'COMMON_SUBJECT', true, 2, 3, true, 40,
   'INCOMPLETE_MARK', 'LOWEST_LEVEL', 'INCOMPLETE_MARK', 'I',
   '2026-01-28 국가교육위원회 결정 (2026학년도부터): 공통과목은 수업 횟수 2/3 이상 출석과 '
   '학업성취율 40% 이상',
   '2025학년도 학교생활기록부 기재요령: 학업성취율 40% 미만은 I (미도달), 보충지도 이수 시 '
   '최저 성취도 (E) 부여, 미이수 과목은 I'),
  ('2022', 2026, 'ELECTIVE_SUBJECT', true, 2, 3, false, 40,
   'LOWEST_LEVEL', 'LOWEST_LEVEL', 'INCOMPLETE_MARK', 'I',
   '2026-01-28 국가교육위원회 결정 (2026학년도부터): 선택과목 (일반·진로·융합선택)은 수업 횟수 '
   '2/3 이상 출석만 요구',
   '2026-01-28 국가교육위원회 결정: 선택과목의 학업성취율 40% 미만은 미도달 (I)이 아닌 최저 '
   '성취도 (A-E의 E, A-C의 C); 미이수 과목은 I');

-- 비고: how a course was delivered, by the host institution's kind and the
-- course's delivery mode ('ANY': every mode without a row of its own).
CREATE TABLE remarks_labels (
  host_kind text NOT NULL,      -- osan.catalog.v1.InstitutionKind name
  delivery_mode text NOT NULL,  -- osan.catalog.v1.DeliveryMode name, or 'ANY'
  first_school_year integer NOT NULL CHECK (first_school_year BETWEEN 2000 AND 2100),
  label text NOT NULL CHECK (label <> ''),
  source text NOT NULL CHECK (source <> ''),
  PRIMARY KEY (host_kind, delivery_mode, first_school_year)
);

INSERT INTO remarks_labels VALUES
  ('HIGH_SCHOOL', 'ANY', 2018, '공동교육과정',
   '2025학년도 학교생활기록부 기재요령: 학교 간 공동교육과정으로 이수한 과목은 비고란에 '
   '"공동교육과정" 입력'),
  ('HIGH_SCHOOL', 'ONLINE_REALTIME', 2018, '공동교육과정(온라인)',
   '2025학년도 학교생활기록부 기재요령: 온라인 공동교육과정 (실시간 쌍방향) 이수 과목의 비고 '
   '(표기 형식 unverified)'),
  ('ONLINE_SCHOOL', 'ANY', 2018, '온라인학교',
   '2025학년도 학교생활기록부 기재요령: 온라인학교에서 이수한 과목은 비고란에 "온라인학교" 입력'),
  ('CITY_ACADEMY', 'ANY', 2018, '학교 밖 교육',
   '학교 밖 교육 학점 인정 (경기도교육청 공유학교 학점인정형) 및 2025학년도 학교생활기록부 '
   '기재요령: 비고란에 "학교 밖 교육" 입력'),
  ('LEARNING_SITE', 'ANY', 2018, '학교 밖 교육',
   '학교 밖 교육 학점 인정 (경기도교육청 공유학교 학점인정형) 및 2025학년도 학교생활기록부 '
   '기재요령: 비고란에 "학교 밖 교육" 입력'),
  ('UNIVERSITY', 'ANY', 2018, '학교 밖 교육',
   '학교 밖 교육 학점 인정 (대학 연계 과목) 및 2025학년도 학교생활기록부 기재요령: 비고란에 '
   '"학교 밖 교육" 입력');

-- 최소 성취수준 보장지도: what each kind of support is called, which shortfall
-- it clears ('NONE' for preventive instruction) and what the remarks carry
-- once it has cleared one.
CREATE TABLE support_kinds (
  kind text NOT NULL
    CHECK (kind IN ('PREVENTIVE_INSTRUCTION', 'REMEDIAL_INSTRUCTION', 'ADDITIONAL_STUDY')),
  first_school_year integer NOT NULL CHECK (first_school_year BETWEEN 2000 AND 2100),
  label text NOT NULL CHECK (label <> ''),
  clears text NOT NULL CHECK (clears IN ('NONE', 'ATTENDANCE', 'ACHIEVEMENT')),
  remarks_note text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source <> ''),
  PRIMARY KEY (kind, first_school_year)
);

INSERT INTO support_kinds VALUES
  ('PREVENTIVE_INSTRUCTION', 2025, '예방지도', 'NONE', '',
   '교육부 고교학점제 최소 성취수준 보장지도 (2025학년도부터): 학기 중 이수 기준 미도달이 '
   '예상되는 학생의 예방지도'),
  ('REMEDIAL_INSTRUCTION', 2025, '보충지도', 'ACHIEVEMENT', '',
   '교육부 고교학점제 최소 성취수준 보장지도 (2025학년도부터): 학기 말 학업성취율 40% 미만 '
   '학생의 보충지도'),
  ('ADDITIONAL_STUDY', 2025, '추가학습', 'ATTENDANCE', '출석률 미달로 인한 추가학습 실시',
   '교육부 고교학점제 최소 성취수준 보장지도 (2025학년도부터): 학업성취율 40% 이상이나 출석률 '
   '2/3 미만인 학생의 추가학습; 학업성취도는 인정하고 학교생활기록부에 "출석률 미달로 인한 '
   '추가학습 실시" 기록');

-- Preventive instruction (예방지도) during the term, per student of a section.
CREATE TABLE preventive_instruction (
  id bigserial PRIMARY KEY,
  section_id uuid NOT NULL,
  school_code text NOT NULL,
  student_key text NOT NULL,
  record bytea NOT NULL,  -- osan.credit.v1.SupportRecord
  record_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX preventive_instruction_section ON preventive_instruction (section_id, id);
CREATE TRIGGER preventive_instruction_append_only BEFORE UPDATE OR DELETE
  ON preventive_instruction FOR EACH ROW EXECUTE FUNCTION refuse_change();
