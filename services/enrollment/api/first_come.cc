#include "services/enrollment/api/first_come.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "services/catalog/domain/names.h"

namespace osan::enrollment {
namespace {

using KeyTuple = std::tuple<std::string, std::string, std::string>;

KeyTuple Tuple(const db::RequestKey& key) { return {key.principal, key.method, key.request_id}; }

}  // namespace

std::vector<LiveApplication> LiveViews(const std::vector<store::ApplicationRecord>& records) {
  std::vector<LiveApplication> views;
  views.reserve(records.size());
  for (const store::ApplicationRecord& record : records) {
    views.push_back({record.application.name(), record.section_id, &record.section,
                     record.application.preference_rank(), record.credits});
  }
  return views;
}

FirstComeSubmissions::FirstComeSubmissions(db::Pool* pool, StudentLimits limits, int max_batch)
    : pool_(pool),
      limits_(limits),
      coalescer_(max_batch,
                 [this](const std::string& section_id, const std::vector<Submission*>& batch) {
                   RunBatch(section_id, batch);
                 }) {}

absl::StatusOr<v1::Application> FirstComeSubmissions::Submit(Submission submission) {
  coalescer_.Submit(submission.record.section_id, &submission);
  return std::move(submission.result);
}

void FirstComeSubmissions::RunBatch(const std::string&, const std::vector<Submission*>& batch) {
  std::vector<absl::StatusOr<v1::Application>> results;
  // The batch's commit records the students of the submissions that stand.
  audit::TransactionScope audited({});
  const absl::Status status = pool_->Transact([&](pqxx::work& tx) -> absl::Status {
    OSAN_RETURN_IF_ERROR(Decide(tx, batch, results));
    audited.Set(audit::StandingCalls(batch, results));
    return absl::OkStatus();
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->result =
        status.ok() ? std::move(results[i]) : absl::StatusOr<v1::Application>(status);
  }
}

absl::Status FirstComeSubmissions::Decide(pqxx::work& tx, const std::vector<Submission*>& batch,
                                          std::vector<absl::StatusOr<v1::Application>>& results) {
  results.assign(batch.size(), absl::InternalError("not decided"));
  const store::ApplicationRecord& first = batch.front()->record;
  int capacity = 0;
  for (const Submission* submission : batch) {
    capacity = std::max(capacity, submission->capacity);
  }
  OSAN_ASSIGN_OR_RETURN(store::Seats seats, store::LockSeats(tx, first.section_id, capacity));
  const int enrolled_before = seats.enrolled;

  // Request ids: a repeated id within the batch is answered like its first.
  std::map<KeyTuple, size_t> first_with_key;
  std::vector<size_t> unique;
  std::vector<db::RequestKey> keys;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (first_with_key.emplace(Tuple(batch[i]->key), i).second) {
      unique.push_back(i);
      keys.push_back(batch[i]->key);
    }
  }
  const auto claims = db::ClaimAll(tx, keys);
  std::vector<size_t> fresh;
  std::vector<store::StudentRef> students;
  for (size_t u = 0; u < unique.size(); ++u) {
    const size_t i = unique[u];
    if (!claims[u].ok()) {
      results[i] = claims[u].status();
    } else if (claims[u]->has_value()) {
      v1::Application stored;
      results[i] = stored.ParseFromString(**claims[u])
                       ? absl::StatusOr<v1::Application>(stored)
                       : absl::InternalError("stored response unreadable");
    } else {
      fresh.push_back(i);
      students.emplace_back(batch[i]->record.school_code, batch[i]->record.student_key);
    }
  }
  std::sort(students.begin(), students.end());
  students.erase(std::unique(students.begin(), students.end()), students.end());
  OSAN_ASSIGN_OR_RETURN(const auto locked, store::LockStudents(tx, students));
  OSAN_ASSIGN_OR_RETURN(auto live, store::LiveApplicationsOf(tx, first.term_id, students));
  OSAN_ASSIGN_OR_RETURN(auto held, store::EnrolledCounts(tx, first.term_id, students));
  OSAN_ASSIGN_OR_RETURN(int waitlisted, store::WaitlistLength(tx, first.section_id));
  OSAN_ASSIGN_OR_RETURN(auto by_school, store::EnrolledBySchool(tx, first.section_id));

  const google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  std::vector<store::ApplicationRecord> inserts;
  std::vector<db::RequestKey> done_keys, failed_keys;
  std::vector<std::string> responses;
  for (const size_t i : fresh) {
    store::ApplicationRecord record = batch[i]->record;
    const store::StudentRef ref{record.school_code, record.student_key};
    const auto student = locked.find(ref);
    absl::Status check =
        student == locked.end()
            ? absl::NotFoundError(absl::StrCat(record.application.student(), " not found"))
            : CheckEligible(student->second, record.school_code, record.section,
                            catalog::SchoolYearOfTerm(record.application.term()));
    if (check.ok()) {
      check = CheckAgainstLiveApplications(LiveViews(live[ref]), record.section_id, record.section,
                                           record.application.preference_rank(), record.credits,
                                           limits_);
    }
    if (!check.ok()) {
      results[i] = check;
      failed_keys.push_back(batch[i]->key);
      continue;
    }
    v1::Application& application = record.application;
    if (held[ref] >= limits_.max_enrollments_per_term) {
      application.set_state(v1::NOT_PLACED);
      application.set_reason(
          absl::StrCat("the student already holds ", held[ref], " seat(s) this term, the limit"));
    } else if (const std::string blocked =
                   CapBlocks(record.section, record.school_code, by_school[record.school_code]);
               !blocked.empty()) {
      application.set_state(v1::WAITLISTED);
      application.set_waitlist_position(++waitlisted);
      application.set_reason(absl::StrCat("first come: ", blocked));
    } else if (seats.free() > 0) {
      ++seats.enrolled;
      ++held[ref];
      ++by_school[record.school_code];
      application.set_state(v1::ENROLLED);
      application.set_reason(
          absl::StrCat("first come: seat ", seats.enrolled, " of ", seats.capacity));
    } else {
      application.set_state(v1::WAITLISTED);
      application.set_waitlist_position(++waitlisted);
      application.set_reason(
          absl::StrCat("first come: section full (capacity ", seats.capacity, ")"));
    }
    application.set_etag("1");
    *application.mutable_create_time() = now;
    *application.mutable_update_time() = now;
    results[i] = application;
    done_keys.push_back(batch[i]->key);
    responses.push_back(application.SerializeAsString());
    inserts.push_back(record);
    if (application.state() != v1::NOT_PLACED) {
      live[ref].push_back(std::move(record));  // later submissions see it
    }
  }
  OSAN_RETURN_IF_ERROR(store::InsertApplications(tx, inserts));
  db::RecordAll(tx, done_keys, responses);
  db::ReleaseAll(tx, failed_keys);
  if (seats.enrolled != enrolled_before) {
    OSAN_RETURN_IF_ERROR(store::SetEnrolled(tx, first.section_id, seats.enrolled));
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t original = first_with_key.at(Tuple(batch[i]->key));
    if (original != i) {
      results[i] = results[original];
    }
  }
  return absl::OkStatus();
}

}  // namespace osan::enrollment
