#include "services/enrollment/api/first_come.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"

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

absl::StatusOr<SeatedClass> ReadSeatedClass(store::Records& records, const std::string& section_id,
                                            const store::Seats& seats) {
  SeatedClass seated{seats.capacity, seats.enrolled, {}};
  OSAN_ASSIGN_OR_RETURN(seated.by_school, records.EnrolledBySchool(section_id));
  return seated;
}

absl::StatusOr<std::vector<std::string>> PromoteWaitlist(store::Records& records,
                                                         const catalog::v1::Section& section,
                                                         const std::string& section_id,
                                                         SeatedClass& seated, int max_seats,
                                                         const std::string& reason) {
  if (seated.free() <= 0) {
    return std::vector<std::string>{};
  }
  OSAN_ASSIGN_OR_RETURN(const auto waitlist, records.Waitlist(section_id));
  if (waitlist.empty()) {
    return std::vector<std::string>{};
  }
  std::vector<store::StudentRef> students;
  for (const store::ApplicationRecord& record : waitlist) {
    students.emplace_back(record.school_code, record.student_key);
  }
  OSAN_ASSIGN_OR_RETURN(auto held, records.EnrolledCounts(waitlist.front().term_id, students));
  std::vector<WaitingStudent> waiting;
  for (const store::ApplicationRecord& record : waitlist) {
    waiting.push_back({record.school_code, held[{record.school_code, record.student_key}]});
  }
  std::vector<std::string> promoted;
  for (const size_t i : Promote(section, seated, waiting, max_seats)) {
    OSAN_RETURN_IF_ERROR(
        records.SetState(waitlist[i].id, v1::ENROLLED, reason, "waitlist").status());
    promoted.push_back(waitlist[i].application.student());
  }
  return promoted;
}

FirstComeSubmissions::FirstComeSubmissions(store::Store* store, StudentLimits limits, int max_batch)
    : store_(store),
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
  const absl::Status status = store_->Transact([&](store::Records& records) -> absl::Status {
    OSAN_RETURN_IF_ERROR(Decide(records, batch, results));
    audited.Set(audit::StandingCalls(batch, results));
    return absl::OkStatus();
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->result =
        status.ok() ? std::move(results[i]) : absl::StatusOr<v1::Application>(status);
  }
}

namespace {

// Claims the request ids of `batch` at once (RequestLog::ClaimAll), a
// repeated id once: `first_with_key` maps each id to its first submission.
// A submission whose id was answered before gets that answer (or the claim's
// error) in `results`; returns the indices of the others, in order.
std::vector<size_t> ClaimRequests(store::Records& records,
                                  const std::vector<FirstComeSubmissions::Submission*>& batch,
                                  std::map<KeyTuple, size_t>& first_with_key,
                                  std::vector<absl::StatusOr<v1::Application>>& results) {
  std::vector<size_t> unique;
  std::vector<db::RequestKey> keys;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (first_with_key.emplace(Tuple(batch[i]->key), i).second) {
      unique.push_back(i);
      keys.push_back(batch[i]->key);
    }
  }
  const auto claims = records.ClaimAll(keys);
  std::vector<size_t> fresh;
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
    }
  }
  return fresh;
}

// Whether the new application `record` may stand: its student exists (in
// `locked`), is eligible, and agrees with their `live` applications.
absl::Status CheckSubmission(const store::ApplicationRecord& record,
                             const std::map<store::StudentRef, v1::Student>& locked,
                             const std::vector<store::ApplicationRecord>& live,
                             const StudentLimits& limits) {
  const auto student = locked.find({record.school_code, record.student_key});
  if (student == locked.end()) {
    return absl::NotFoundError(absl::StrCat(record.application.student(), " not found"));
  }
  OSAN_RETURN_IF_ERROR(CheckEligible(student->second, record.school_code, record.section,
                                     SchoolYearOfTerm(record.application.term())));
  return CheckAgainstLiveApplications(LiveViews(live), record.section_id, record.section,
                                      record.application.preference_rank(), record.credits, limits);
}

}  // namespace

absl::Status FirstComeSubmissions::Decide(store::Records& records,
                                          const std::vector<Submission*>& batch,
                                          std::vector<absl::StatusOr<v1::Application>>& results) {
  results.assign(batch.size(), absl::InternalError("not decided"));
  const store::ApplicationRecord& first = batch.front()->record;
  int capacity = 0;
  for (const Submission* submission : batch) {
    capacity = std::max(capacity, submission->capacity);
  }
  // The time the store stamps the new applications with.
  OSAN_ASSIGN_OR_RETURN(const int64_t micros, records.TransactionMicros());
  const google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
  OSAN_ASSIGN_OR_RETURN(store::Seats seats, records.LockSeats(first.section_id, capacity));

  // Request ids: a repeated id within the batch is answered like its first.
  std::map<KeyTuple, size_t> first_with_key;
  const std::vector<size_t> fresh = ClaimRequests(records, batch, first_with_key, results);
  std::vector<store::StudentRef> students;
  for (const size_t i : fresh) {
    students.emplace_back(batch[i]->record.school_code, batch[i]->record.student_key);
  }
  students = store::InLockOrder(std::move(students));
  OSAN_ASSIGN_OR_RETURN(const auto locked, records.LockStudents(students));
  OSAN_ASSIGN_OR_RETURN(auto live, records.LiveApplicationsOf(first.term_id, students));
  OSAN_ASSIGN_OR_RETURN(auto held, records.EnrolledCounts(first.term_id, students));
  OSAN_ASSIGN_OR_RETURN(int waitlisted, records.WaitlistLength(first.section_id));
  OSAN_ASSIGN_OR_RETURN(SeatedClass seated, ReadSeatedClass(records, first.section_id, seats));

  std::vector<store::ApplicationRecord> inserts;
  std::vector<size_t> done;  // submissions whose application stands
  std::vector<db::RequestKey> failed_keys;
  for (const size_t i : fresh) {
    store::ApplicationRecord record = batch[i]->record;
    const store::StudentRef ref{record.school_code, record.student_key};
    const absl::Status check = CheckSubmission(record, locked, live[ref], limits_);
    if (!check.ok()) {
      results[i] = check;
      failed_keys.push_back(batch[i]->key);
      continue;
    }
    v1::Application& application = record.application;
    const Placement placement = PlaceFirstCome(record.section, seated, record.school_code,
                                               held[ref], limits_.max_enrollments_per_term);
    application.set_state(placement.state);
    application.set_reason(placement.reason);
    if (placement.state == v1::ENROLLED) {
      ++held[ref];
    } else if (placement.state == v1::WAITLISTED) {
      application.set_waitlist_position(++waitlisted);
    }
    application.set_etag("1");
    *application.mutable_create_time() = now;
    *application.mutable_update_time() = now;
    results[i] = application;
    done.push_back(i);
    inserts.push_back(record);
    if (application.state() != v1::NOT_PLACED) {
      live[ref].push_back(std::move(record));  // later submissions see it
    }
  }
  OSAN_RETURN_IF_ERROR(records.InsertApplications(inserts));
  if (seated.enrolled != seats.enrolled) {
    // Students of other schools seated now may make room for waitlisted host students.
    OSAN_RETURN_IF_ERROR(PromoteWaitlist(records, first.section, first.section_id, seated,
                                         limits_.max_enrollments_per_term,
                                         "promoted from the waitlist when the class grew")
                             .status());
    OSAN_RETURN_IF_ERROR(records.SetEnrolled(first.section_id, seated.enrolled));
    // The batch's waitlisted applications as they now stand: promoted, or
    // moved up the waitlist.
    for (const size_t i : done) {
      if (results[i]->state() == v1::WAITLISTED) {
        OSAN_ASSIGN_OR_RETURN(const store::ApplicationRecord now_stored,
                              records.GetApplication(batch[i]->record.id));
        results[i] = now_stored.application;
      }
    }
  }
  // Responses are stored as they stand when the batch commits.
  std::vector<db::RequestKey> done_keys;
  std::vector<std::string> responses;
  for (const size_t i : done) {
    done_keys.push_back(batch[i]->key);
    responses.push_back(results[i]->SerializeAsString());
  }
  records.RecordAll(done_keys, responses);
  records.ReleaseAll(failed_keys);
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t original = first_with_key.at(Tuple(batch[i]->key));
    if (original != i) {
      results[i] = results[original];
    }
  }
  return absl::OkStatus();
}

}  // namespace osan::enrollment
