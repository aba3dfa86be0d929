#include "services/enrollment/store/memory_records.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "services/enrollment/domain/rules.h"

namespace osan::enrollment::store {
namespace {

using google::protobuf::util::TimeUtil;

// The store's keyset start for uuid columns.
constexpr char kNilUuid[] = "00000000-0000-0000-0000-000000000000";

// What PgUnitOfWork (common/db.cc) answers when a constraint refuses a
// write: a CHECK, a foreign key, a primary key.
absl::Status OutOfRange() {
  return absl::InvalidArgumentError("a value is out of its allowed range");
}
absl::Status MissingReference() {
  return absl::FailedPreconditionError("a referenced resource does not exist");
}
absl::Status DuplicateKey() { return absl::AlreadyExistsError("the resource already exists"); }

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

void ByPreferenceRank(std::vector<ApplicationRecord>& records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const ApplicationRecord& a, const ApplicationRecord& b) {
                     return a.application.preference_rank() < b.application.preference_rank();
                   });
}

}  // namespace

const MemoryRecords::Transaction& MemoryRecords::Current() {
  if (!running_.transaction.has_value()) {
    running_.transaction = Transaction{absl::ToUnixMicros(clock_()), ++transactions_};
  }
  return *running_.transaction;
}

std::optional<Seats> MemoryRecords::SeatCounter(const std::string& section_id) const {
  const auto it = seats_.find(section_id);
  if (it == seats_.end()) {
    return std::nullopt;
  }
  return it->second;
}

// ----- Students -------------------------------------------------------------

v1::Student MemoryRecords::StudentOf(const StudentRef& ref, const StudentRow& row) {
  v1::Student student;
  student.set_student_key(ref.second);
  student.set_name(StudentId{ref.first, ref.second}.name());
  student.set_entry_year(row.entry_year);
  student.set_display_name(row.display_name);
  student.set_etag("1");  // nothing rewrites a student
  *student.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(row.create_micros);
  return student;
}

absl::Status MemoryRecords::InsertStudent(const std::string& school, const v1::Student& student) {
  const StudentRef ref{school, student.student_key()};
  if (students_.count(ref) > 0) {
    return absl::AlreadyExistsError(
        absl::StrCat(StudentId{school, student.student_key()}.name(), " already exists"));
  }
  students_.emplace(ref,
                    StudentRow{student.entry_year(), student.display_name(), Current().micros});
  return absl::OkStatus();
}

absl::StatusOr<v1::Student> MemoryRecords::GetStudent(const std::string& school,
                                                      const std::string& key, Lock) {
  const auto it = students_.find({school, key});
  if (it == students_.end()) {
    return absl::NotFoundError(absl::StrCat(StudentId{school, key}.name(), " not found"));
  }
  return StudentOf(it->first, it->second);
}

absl::StatusOr<Page<v1::Student>> MemoryRecords::ListStudents(const std::string& school,
                                                              const std::string& after, int limit) {
  PositionedRows<v1::Student> rows;
  for (auto it = students_.upper_bound({school, after});
       it != students_.end() && it->first.first == school; ++it) {
    rows.emplace_back(it->first.second, StudentOf(it->first, it->second));
  }
  return PageOfPositioned(rows, limit);
}

absl::StatusOr<std::map<StudentRef, v1::Student>> MemoryRecords::LockStudents(
    const std::vector<StudentRef>& students) {
  std::map<StudentRef, v1::Student> found;
  for (const StudentRef& ref : students) {
    if (const auto it = students_.find(ref); it != students_.end()) {
      found.emplace(ref, StudentOf(ref, it->second));
    }
  }
  return found;
}

// ----- Applications ---------------------------------------------------------

MemoryRecords::ApplicationRow MemoryRecords::RowOf(const ApplicationRecord& record,
                                                   const ApplicationRecord& shared) {
  ApplicationRow row;
  row.school_code = record.school_code;
  row.student_key = record.student_key;
  row.preference_rank = record.application.preference_rank();
  row.state = record.application.state();
  row.reason = record.application.reason();
  row.decided_by = record.application.decided_by();
  row.term_id = shared.term_id;
  row.section_id = shared.section_id;
  row.section_name = shared.application.section();
  row.host_code = InstitutionCodeOf(shared.application.host());
  row.credits = shared.credits;
  row.section = shared.section;
  return row;
}

int MemoryRecords::WaitlistPosition(const ApplicationRow& row) const {
  if (row.state != v1::WAITLISTED) {
    return 0;
  }
  int position = 0;
  for (const auto& [other_id, other] : applications_) {
    if (other.section_id == row.section_id && other.state == v1::WAITLISTED &&
        other.waitlist_order <= row.waitlist_order) {
      ++position;
    }
  }
  return position;
}

ApplicationRecord MemoryRecords::RecordOf(const std::string& id, const ApplicationRow& row) const {
  ApplicationRecord record;
  record.id = id;
  record.school_code = row.school_code;
  record.student_key = row.student_key;
  record.term_id = row.term_id;
  record.section_id = row.section_id;
  record.credits = row.credits;
  record.version = row.version;
  record.section = row.section;
  v1::Application& application = record.application;
  application.set_name(ApplicationName(id));
  application.set_student(StudentId{row.school_code, row.student_key}.name());
  application.set_section(row.section_name);
  application.set_host(absl::StrCat("institutions/", row.host_code));
  application.set_term(absl::StrCat("terms/", row.term_id));
  application.set_preference_rank(row.preference_rank);
  application.set_state(row.state);
  application.set_reason(row.reason);
  application.set_decided_by(row.decided_by);
  application.set_etag(absl::StrCat(row.version));
  *application.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(row.create_micros);
  *application.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(row.update_micros);
  application.set_waitlist_position(WaitlistPosition(row));
  return record;
}

template <class Keep>
std::vector<ApplicationRecord> MemoryRecords::RecordsWhere(const Keep& keep) const {
  std::vector<ApplicationRecord> records;
  for (const auto& [id, row] : applications_) {
    if (keep(row)) {
      records.push_back(RecordOf(id, row));
    }
  }
  return records;
}

absl::Status MemoryRecords::CheckApplication(const std::string& id,
                                             const ApplicationRow& row) const {
  if (row.preference_rank < 1 || row.preference_rank > 20) {
    return OutOfRange();
  }
  if (students_.count({row.school_code, row.student_key}) == 0) {
    return MissingReference();
  }
  if (!IsLive(row.state)) {
    return absl::OkStatus();
  }
  for (const auto& [other_id, other] : applications_) {
    if (other_id != id && IsLive(other.state) && other.school_code == row.school_code &&
        other.student_key == row.student_key &&
        (other.section_id == row.section_id ||
         (other.term_id == row.term_id && other.preference_rank == row.preference_rank))) {
      return LiveApplicationExists();
    }
  }
  return absl::OkStatus();
}

absl::Status MemoryRecords::Insert(const std::string& id, ApplicationRow row) {
  if (applications_.count(id) > 0) {
    return DuplicateKey();
  }
  OSAN_RETURN_IF_ERROR(CheckApplication(id, row));
  row.waitlist_order = row.state == v1::WAITLISTED ? ++waitlist_order_ : 0;
  row.version = 1;
  row.create_micros = row.update_micros = Current().micros;
  applications_.emplace(id, std::move(row));
  return absl::OkStatus();
}

void MemoryRecords::AppendEvent(const std::string& school_code, const std::string& host_code,
                                const v1::Application& application) {
  const Transaction& transaction = Current();
  events_.push_back(
      {transaction.txid, ++event_seq_, school_code, host_code, application, transaction.micros});
}

absl::Status MemoryRecords::InsertApplication(const ApplicationRecord& record) {
  OSAN_RETURN_IF_ERROR(Insert(record.id, RowOf(record, record)));
  const ApplicationRow& row = applications_.at(record.id);
  AppendEvent(row.school_code, row.host_code, RecordOf(record.id, row).application);
  return absl::OkStatus();
}

absl::Status MemoryRecords::InsertApplications(const std::vector<ApplicationRecord>& records) {
  if (records.empty()) {
    return absl::OkStatus();
  }
  const ApplicationRecord& first = records.front();
  const std::string host_code = InstitutionCodeOf(first.application.host());
  for (const ApplicationRecord& record : records) {
    OSAN_RETURN_IF_ERROR(Insert(record.id, RowOf(record, first)));
    AppendEvent(record.school_code, host_code, record.application);
  }
  return absl::OkStatus();
}

absl::StatusOr<ApplicationRecord> MemoryRecords::GetApplication(const std::string& id, Lock) {
  const auto it = applications_.find(id);
  if (it == applications_.end()) {
    return absl::NotFoundError(absl::StrCat(ApplicationName(id), " not found"));
  }
  return RecordOf(id, it->second);
}

absl::StatusOr<v1::Application> MemoryRecords::SetState(const std::string& id,
                                                        v1::ApplicationState state,
                                                        const std::string& reason,
                                                        const std::string& decided_by) {
  const auto it = applications_.find(id);
  if (it == applications_.end()) {
    return absl::NotFoundError(absl::StrCat(ApplicationName(id), " not found"));
  }
  ApplicationRow row = it->second;
  row.state = state;
  row.reason = reason;
  row.decided_by = decided_by;
  OSAN_RETURN_IF_ERROR(CheckApplication(id, row));
  row.waitlist_order = state == v1::WAITLISTED ? ++waitlist_order_ : 0;
  ++row.version;
  row.update_micros = Current().micros;
  it->second = std::move(row);
  const v1::Application stored = RecordOf(id, it->second).application;
  AppendEvent(it->second.school_code, it->second.host_code, stored);
  return stored;
}

absl::StatusOr<Page<v1::Application>> MemoryRecords::ListApplications(
    const std::string& school_code, const std::string& section_id, v1::ApplicationState state,
    const std::string& after, int limit) {
  PositionedRows<v1::Application> rows;
  for (auto it = applications_.upper_bound(after); it != applications_.end(); ++it) {
    const ApplicationRow& row = it->second;
    if ((school_code.empty() ? row.section_id == section_id : row.school_code == school_code) &&
        (state == v1::APPLICATION_STATE_UNSPECIFIED || row.state == state)) {
      rows.emplace_back(it->first, RecordOf(it->first, row).application);
    }
  }
  return PageOfPositioned(rows, limit);
}

absl::StatusOr<std::vector<ApplicationRecord>> MemoryRecords::LiveApplications(
    const std::string& school, const std::string& key, const std::string& term_id) {
  std::vector<ApplicationRecord> live = RecordsWhere([&](const ApplicationRow& row) {
    return row.school_code == school && row.student_key == key && row.term_id == term_id &&
           IsLive(row.state);
  });
  ByPreferenceRank(live);
  return live;
}

absl::StatusOr<std::map<StudentRef, std::vector<ApplicationRecord>>>
MemoryRecords::LiveApplicationsOf(const std::string& term_id,
                                  const std::vector<StudentRef>& students) {
  const std::set<StudentRef> wanted(students.begin(), students.end());
  std::map<StudentRef, std::vector<ApplicationRecord>> by_student;
  for (ApplicationRecord& record : RecordsWhere([&](const ApplicationRow& row) {
         return row.term_id == term_id && IsLive(row.state) &&
                wanted.count({row.school_code, row.student_key}) > 0;
       })) {
    by_student[{record.school_code, record.student_key}].push_back(std::move(record));
  }
  // The store leaves each student's order unspecified; this is LiveApplications'.
  for (auto& [student, live] : by_student) {
    ByPreferenceRank(live);
  }
  return by_student;
}

absl::StatusOr<std::vector<ApplicationRecord>> MemoryRecords::LiveApplicationsOfSection(
    const std::string& section_id) {
  return RecordsWhere(
      [&](const ApplicationRow& row) { return row.section_id == section_id && IsLive(row.state); });
}

absl::StatusOr<int> MemoryRecords::EnrolledCount(const std::string& school, const std::string& key,
                                                 const std::string& term_id) {
  int count = 0;
  for (const auto& [id, row] : applications_) {
    if (row.school_code == school && row.student_key == key && row.term_id == term_id &&
        row.state == v1::ENROLLED) {
      ++count;
    }
  }
  return count;
}

absl::StatusOr<std::map<StudentRef, int>> MemoryRecords::EnrolledCounts(
    const std::string& term_id, const std::vector<StudentRef>& students) {
  const std::set<StudentRef> wanted(students.begin(), students.end());
  std::map<StudentRef, int> counts;
  for (const auto& [id, row] : applications_) {
    const StudentRef student{row.school_code, row.student_key};
    if (row.term_id == term_id && row.state == v1::ENROLLED && wanted.count(student) > 0) {
      ++counts[student];
    }
  }
  return counts;
}

absl::StatusOr<std::map<std::string, int>> MemoryRecords::EnrolledBySchool(
    const std::string& section_id) {
  OSAN_ASSIGN_OR_RETURN(auto counts, EnrolledBySchoolOf({section_id}));
  return std::move(counts[section_id]);
}

absl::StatusOr<std::vector<ApplicationRecord>> MemoryRecords::Waitlist(
    const std::string& section_id) {
  std::vector<ApplicationRecord> waitlist = RecordsWhere([&](const ApplicationRow& row) {
    return row.section_id == section_id && row.state == v1::WAITLISTED;
  });
  std::sort(waitlist.begin(), waitlist.end(),
            [](const ApplicationRecord& a, const ApplicationRecord& b) {
              return a.application.waitlist_position() < b.application.waitlist_position();
            });
  return waitlist;
}

absl::StatusOr<int> MemoryRecords::WaitlistLength(const std::string& section_id) {
  OSAN_ASSIGN_OR_RETURN(auto lengths, WaitlistLengths({section_id}));
  return lengths[section_id];
}

absl::StatusOr<Page<v1::RosterEntry>> MemoryRecords::Roster(const std::string& section_id,
                                                            const std::string& after, int limit) {
  // The store's keyset: (waitlisted 0|1, waitlist order, display name, id);
  // a position is "{waitlisted}/{waitlist order}/{id}/{display name}".
  using Key = std::tuple<int, int64_t, std::string, std::string>;
  Key from{-1, 0, "", kNilUuid};
  if (!after.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(after, absl::MaxSplits('/', 3));
    int waitlisted = 0;
    int64_t ordinal = 0;
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &waitlisted) ||
        !absl::SimpleAtoi(parts[1], &ordinal)) {
      return InvalidField("page_token", "malformed position");
    }
    from = Key{waitlisted, ordinal, parts[3], parts[2]};
  }
  std::map<Key, v1::RosterEntry> roster;
  for (const auto& [id, row] : applications_) {
    if (row.section_id != section_id ||
        (row.state != v1::ENROLLED && row.state != v1::WAITLISTED)) {
      continue;
    }
    const auto student = students_.find({row.school_code, row.student_key});
    if (student == students_.end()) {
      continue;  // the store's join (which the foreign key makes moot)
    }
    const bool waitlisted = row.state == v1::WAITLISTED;
    // Display names of enrolled students only (enrollment.proto, RosterEntry).
    Key key{waitlisted ? 1 : 0, row.waitlist_order, waitlisted ? "" : student->second.display_name,
            id};
    if (key <= from) {
      continue;
    }
    v1::RosterEntry entry;
    entry.set_application(ApplicationName(id));
    entry.set_student(StudentId{row.school_code, row.student_key}.name());
    entry.set_display_name(std::get<2>(key));
    entry.set_entry_year(student->second.entry_year);
    entry.set_home_school(absl::StrCat("institutions/", row.school_code));
    entry.set_state(row.state);
    entry.set_waitlist_position(WaitlistPosition(row));
    roster.emplace(std::move(key), std::move(entry));
  }
  PositionedRows<v1::RosterEntry> rows;
  for (const auto& [key, entry] : roster) {
    const auto& [waitlisted, ordinal, display_name, id] = key;
    rows.emplace_back(absl::StrCat(waitlisted, "/", ordinal, "/", id, "/", display_name), entry);
  }
  return PageOfPositioned(rows, limit);
}

absl::StatusOr<int> MemoryRecords::RosterEnrolled(const std::string& section_id) {
  int count = 0;
  for (const auto& [id, row] : applications_) {
    if (row.section_id == section_id && row.state == v1::ENROLLED) {
      ++count;
    }
  }
  return count;
}

absl::StatusOr<Page<v1::ApplicationCount>> MemoryRecords::CountApplications(
    const std::string& term_id, const std::string& after, int limit) {
  // The store's keyset: (section id, school code, state by name); a position
  // is "{section id}/{school code}/{state}".
  using Key = std::tuple<std::string, std::string, std::string>;
  Key from{kNilUuid, "", ""};
  if (!after.empty()) {
    const std::vector<std::string> position = absl::StrSplit(after, absl::MaxSplits('/', 2));
    if (position.size() != 3) {
      return InvalidField("page_token", "malformed position");
    }
    from = Key{position[0], position[1], position[2]};
  }
  std::map<Key, int> counts;
  for (const auto& [id, row] : applications_) {
    Key key{row.section_id, row.school_code, v1::ApplicationState_Name(row.state)};
    if (row.term_id == term_id && key > from) {
      ++counts[std::move(key)];
    }
  }
  PositionedRows<v1::ApplicationCount> rows;
  for (const auto& [key, n] : counts) {
    const auto& [section_id, school_code, state] = key;
    v1::ApplicationCount count;
    count.set_section(absl::StrCat("terms/", term_id, "/sections/", section_id));
    count.set_home_school(absl::StrCat("institutions/", school_code));
    v1::ApplicationState parsed = v1::APPLICATION_STATE_UNSPECIFIED;
    v1::ApplicationState_Parse(state, &parsed);
    count.set_state(parsed);
    count.set_count(n);
    rows.emplace_back(absl::StrCat(section_id, "/", school_code, "/", state), std::move(count));
  }
  return PageOfPositioned(rows, limit);
}

// ----- Seats ----------------------------------------------------------------

absl::StatusOr<Seats> MemoryRecords::LockSeats(const std::string& section_id, int capacity) {
  OSAN_ASSIGN_OR_RETURN(auto locked, LockSeatsOf({{section_id, capacity}}));
  return locked.at(section_id);
}

absl::StatusOr<std::map<std::string, Seats>> MemoryRecords::LockSeatsOf(
    const std::map<std::string, int>& capacity) {
  for (const auto& [section_id, at_least] : capacity) {
    if (seats_.count(section_id) == 0 && at_least <= 0) {
      return OutOfRange();  // CHECK (capacity > 0) of a new counter
    }
  }
  std::map<std::string, Seats> locked;
  for (const auto& [section_id, at_least] : capacity) {
    Seats& counter = seats_.try_emplace(section_id, Seats{at_least, 0}).first->second;
    counter.capacity = std::max(counter.capacity, at_least);
    locked.emplace(section_id, counter);
  }
  return locked;
}

absl::Status MemoryRecords::SetEnrolled(const std::string& section_id, int enrolled) {
  return SetEnrolledOf({{section_id, enrolled}});
}

absl::Status MemoryRecords::SetEnrolledOf(const std::map<std::string, int>& enrolled) {
  // One statement: refused whole. Sections without a counter are left out.
  for (const auto& [section_id, count] : enrolled) {
    const auto it = seats_.find(section_id);
    if (it != seats_.end() && (count < 0 || count > it->second.capacity)) {
      return OutOfRange();  // CHECK (enrolled >= 0 AND enrolled <= capacity)
    }
  }
  for (const auto& [section_id, count] : enrolled) {
    if (const auto it = seats_.find(section_id); it != seats_.end()) {
      it->second.enrolled = count;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::SeatCount>> MemoryRecords::SeatCounts(const std::string& term_id) {
  std::map<std::string, v1::SeatCount> by_name;
  for (const auto& [id, row] : applications_) {
    if (row.term_id != term_id) {
      continue;
    }
    v1::SeatCount& count = by_name[row.section_name];
    count.set_section(row.section_name);
    if (const auto counter = seats_.find(row.section_id); counter != seats_.end()) {
      count.set_capacity(std::max(count.capacity(), counter->second.capacity));
      count.set_enrolled(std::max(count.enrolled(), counter->second.enrolled));
    }
    if (row.state == v1::WAITLISTED) {
      count.set_waitlisted(count.waitlisted() + 1);
    }
  }
  std::vector<v1::SeatCount> counts;
  for (auto& [name, count] : by_name) {
    counts.push_back(std::move(count));
  }
  return counts;
}

// ----- Allocation runs ------------------------------------------------------

absl::StatusOr<bool> MemoryRecords::LockTermForAllocation(const std::string&) { return true; }

absl::StatusOr<std::vector<Candidate>> MemoryRecords::LockAllocationCandidates(
    const std::string& term_id, const std::vector<std::string>& section_ids) {
  std::vector<Candidate> candidates;
  for (ApplicationRecord& record : RecordsWhere([&](const ApplicationRow& row) {
         return row.term_id == term_id && Contains(section_ids, row.section_id) &&
                (row.state == v1::APPROVED || row.state == v1::HOST_ACCEPTED);
       })) {
    const auto student = students_.find({record.school_code, record.student_key});
    if (student != students_.end()) {
      candidates.push_back({std::move(record), student->second.entry_year});
    }
  }
  return candidates;
}

absl::StatusOr<std::map<std::string, std::map<std::string, int>>> MemoryRecords::EnrolledBySchoolOf(
    const std::vector<std::string>& section_ids) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const auto& [id, row] : applications_) {
    if (row.state == v1::ENROLLED && Contains(section_ids, row.section_id)) {
      ++counts[row.section_id][row.school_code];
    }
  }
  return counts;
}

absl::StatusOr<std::map<std::string, int>> MemoryRecords::WaitlistLengths(
    const std::vector<std::string>& section_ids) {
  std::map<std::string, int> lengths;
  for (const auto& [id, row] : applications_) {
    if (row.state == v1::WAITLISTED && Contains(section_ids, row.section_id)) {
      ++lengths[row.section_id];
    }
  }
  return lengths;
}

absl::StatusOr<int64_t> MemoryRecords::TransactionMicros() { return Current().micros; }

absl::Status MemoryRecords::ApplyAllocation(const std::string& run_id,
                                            const std::string& decided_by,
                                            const std::vector<AllocationDecisionRow>& decisions,
                                            const std::vector<v1::Application>& after) {
  std::vector<AllocationDecisionRow>& stored = decisions_[run_id];
  if (!stored.empty() && !decisions.empty()) {
    return DuplicateKey();  // (run_id, ordinal) from 1 again
  }
  stored = decisions;
  const int64_t now = Current().micros;
  for (const AllocationDecisionRow& decision : decisions) {
    const auto it = applications_.find(decision.application_id);
    if (it == applications_.end()) {
      continue;  // the store's update joins no row
    }
    ApplicationRow row = it->second;
    row.state = decision.outcome;
    row.reason = absl::StrCat("allocation ", run_id, ": ", decision.reason);
    row.decided_by = decided_by;
    OSAN_RETURN_IF_ERROR(CheckApplication(it->first, row));
    row.waitlist_order = decision.outcome == v1::WAITLISTED ? ++waitlist_order_ : 0;
    ++row.version;
    row.update_micros = now;
    it->second = std::move(row);
  }
  for (size_t i = 0; i < decisions.size() && i < after.size(); ++i) {
    AppendEvent(decisions[i].school_code, InstitutionCodeOf(after[i].host()), after[i]);
  }
  return absl::OkStatus();
}

absl::StatusOr<Page<v1::AllocationDecision>> MemoryRecords::ListAllocationDecisions(
    const std::string& run_id, const std::string& section_name, const std::string& school_code,
    const std::string& after, int limit) {
  int from = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &from)) {
    return InvalidField("page_token", "malformed position");
  }
  PositionedRows<v1::AllocationDecision> rows;
  const auto run = decisions_.find(run_id);
  const int count = run == decisions_.end() ? 0 : static_cast<int>(run->second.size());
  for (int ordinal = std::max(from, 0) + 1; ordinal <= count; ++ordinal) {
    const AllocationDecisionRow& row = run->second[ordinal - 1];
    if ((!section_name.empty() && row.section_name != section_name) ||
        (!school_code.empty() && row.school_code != school_code)) {
      continue;
    }
    v1::AllocationDecision decision;
    decision.set_application(ApplicationName(row.application_id));
    decision.set_student(StudentId{row.school_code, row.student_key}.name());
    decision.set_section(row.section_name);
    decision.set_outcome(row.outcome);
    decision.set_waitlist_position(row.waitlist_position);
    decision.set_lottery_number(row.lottery_number);
    decision.set_reason(row.reason);
    rows.emplace_back(absl::StrCat(ordinal), std::move(decision));
  }
  return PageOfPositioned(rows, limit);
}

absl::Status MemoryRecords::InsertAllocationRun(const std::string& id, const std::string&,
                                                const v1::AllocationRun& run) {
  if (!runs_.emplace(id, run).second) {
    return DuplicateKey();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::AllocationRun> MemoryRecords::GetAllocationRun(const std::string& id) {
  const auto it = runs_.find(id);
  if (it == runs_.end()) {
    return absl::NotFoundError(absl::StrCat("allocationRuns/", id, " not found"));
  }
  return it->second;
}

// ----- Allocation operations ------------------------------------------------

bool MemoryRecords::Quiet(const Operation& operation, absl::Duration grace) {
  return !operation.done &&
         operation.update_micros < Current().micros - absl::ToInt64Microseconds(grace);
}

absl::Status MemoryRecords::InsertAllocationOperation(const std::string& id, const std::string&,
                                                      const v1::AllocationOperation& operation) {
  if (!operations_.emplace(id, Operation{operation, operation.done(), Current().micros}).second) {
    return DuplicateKey();
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredOperation> MemoryRecords::GetAllocationOperation(const std::string& id,
                                                                      absl::Duration grace) {
  const auto it = operations_.find(id);
  if (it == operations_.end()) {
    return absl::NotFoundError(absl::StrCat("operations/", id, " not found"));
  }
  return StoredOperation{it->second.operation, Quiet(it->second, grace)};
}

absl::Status MemoryRecords::HoldAllocationOperation(const std::string& id) {
  const auto it = operations_.find(id);
  if (it == operations_.end()) {
    return absl::NotFoundError(absl::StrCat("operations/", id, " not found"));
  }
  if (it->second.done) {
    return absl::FailedPreconditionError(absl::StrCat("operations/", id, " is already done"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> MemoryRecords::UpdateAllocationOperation(
    const std::string& id, const v1::AllocationOperation& operation) {
  const auto it = operations_.find(id);
  if (it == operations_.end() || it->second.done) {
    return false;
  }
  it->second = Operation{operation, operation.done(), Current().micros};
  return true;
}

absl::StatusOr<bool> MemoryRecords::AbandonAllocationOperation(
    const std::string& id, const v1::AllocationOperation& failed, absl::Duration grace) {
  const auto it = operations_.find(id);
  if (it == operations_.end() || !Quiet(it->second, grace)) {
    return false;
  }
  it->second = Operation{failed, true, Current().micros};
  return true;
}

// ----- Change feed ----------------------------------------------------------

absl::StatusOr<std::vector<v1::ChangeEvent>> MemoryRecords::ReadEvents(const FeedCursor& after,
                                                                       const FeedFilter& filter,
                                                                       int limit) {
  uint64_t txid = 0;
  if (!absl::SimpleAtoi(after.txid, &txid)) {
    return InvalidField("cursor", "malformed; pass back a cursor from an event");
  }
  std::vector<v1::ChangeEvent> read;
  for (const Event& event : events_) {
    if (static_cast<int>(read.size()) >= limit) {
      break;
    }
    if (std::make_pair(event.txid, event.seq) <= std::make_pair(txid, after.seq) ||
        !(filter.everything || event.school_code == filter.school_code ||
          event.host_code == filter.host_code)) {
      continue;
    }
    v1::ChangeEvent& change = read.emplace_back();
    change.set_cursor(FeedCursor{absl::StrCat(event.txid), event.seq}.Encode());
    *change.mutable_application() = event.application;
    *change.mutable_commit_time() = TimeUtil::MicrosecondsToTimestamp(event.commit_micros);
  }
  return read;
}

// ----- Savepoints -----------------------------------------------------------

absl::Status MemoryRecords::Savepoint(absl::FunctionRef<absl::Status(Records&)> body) {
  const Transaction transaction = Current();
  MemoryRecords nested = *this;
  nested.running_.transaction = transaction;  // the copy continues this transaction
  const absl::Status status = body(nested);
  if (status.ok()) {
    *this = std::move(nested);
  }
  return status;
}

}  // namespace osan::enrollment::store
