#include "services/enrollment/api/allocation_runs.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/rand.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/curriculum.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/roles.h"
#include "common/status.h"
#include "common/use_case.h"
#include "common/validation.h"
#include "services/enrollment/domain/allocation.h"
#include "services/enrollment/domain/rules.h"

namespace osan::enrollment {
namespace {

namespace cv1 = catalog::v1;
using google::protobuf::util::TimeUtil;

uint64_t RandomSeed() {
  uint64_t seed = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  return seed == 0 ? 1 : seed;
}

google::protobuf::Timestamp TimestampOf(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// `operation` finished with `status` (not OK): nothing of the run was kept.
v1::AllocationOperation Failed(v1::AllocationOperation operation, const absl::Status& status) {
  operation.set_done(true);
  operation.set_stage("failed");
  operation.mutable_error()->set_code(static_cast<int>(status.code()));
  operation.mutable_error()->set_message(std::string(status.message()));
  *operation.mutable_update_time() = TimestampOf(absl::Now());
  return operation;
}

// The priority tier of a student for a PRIORITY section: the index of the
// first rule they match, or the number of rules.
int PriorityTier(const cv1::Section& section, const std::string& school_code, int grade) {
  const auto& rules = section.priority_rules();
  for (int i = 0; i < rules.size(); ++i) {
    const auto& schools = rules[i].schools();
    const auto& grades = rules[i].grade_levels();
    const bool school_ok =
        schools.empty() ||
        std::find(schools.begin(), schools.end(), InstitutionName(school_code)) != schools.end();
    const bool grade_ok =
        grades.empty() || std::find(grades.begin(), grades.end(), grade) != grades.end();
    if (school_ok && grade_ok) {
      return i;
    }
  }
  return rules.size();
}

v1::ApplicationState StateOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPlaced:
      return v1::ENROLLED;
    case Outcome::kWaitlisted:
      return v1::WAITLISTED;
    case Outcome::kNotPlaced:
      break;
  }
  return v1::NOT_PLACED;
}

// The run's order of decisions: by section, then enrolled by lottery number,
// waitlisted by position, not placed by lottery number.
auto RunOrder(const store::AllocationDecisionRow& d) {
  const int outcome = d.outcome == v1::ENROLLED ? 0 : d.outcome == v1::WAITLISTED ? 1 : 2;
  return std::make_tuple(std::cref(d.section_name), outcome,
                         d.outcome == v1::WAITLISTED ? d.waitlist_position : d.lottery_number);
}

// The allocation's input: each section's free seats and caps, and each
// candidate the section allocates (screening sections only host-accepted
// ones), with its priority tier. `applicants` is aligned with
// input.applicants.
struct PreparedInput {
  AllocationInput input;
  std::vector<const store::Candidate*> applicants;
};

PreparedInput Prepare(const std::map<std::string, cv1::Section>& sections,
                      const std::vector<store::Candidate>& candidates,
                      std::map<std::string, store::Seats>& seats,
                      std::map<std::string, std::map<std::string, int>>& enrolled_by_school) {
  PreparedInput prepared;
  for (const auto& [id, section] : sections) {
    prepared.input.sections.push_back({id, InstitutionCodeOf(section.host()), seats[id].free(),
                                       std::move(enrolled_by_school[id]), section.per_school_cap(),
                                       section.host_share_cap_percent()});
  }
  for (const store::Candidate& candidate : candidates) {
    const store::ApplicationRecord& record = candidate.record;
    const auto section = sections.find(record.section_id);
    if (section == sections.end()) {
      continue;
    }
    const bool screened = section->second.allocation_policy() == cv1::HOST_SCREENING;
    if (screened != (record.application.state() == v1::HOST_ACCEPTED)) {
      continue;  // screening sections allocate only host-accepted applicants
    }
    const int grade = curriculum::GradeInSchoolYear(candidate.entry_year,
                                                    SchoolYearOfTerm(record.application.term()));
    prepared.input.applicants.push_back(
        {record.id, record.application.student(), record.school_code, record.section_id,
         record.application.preference_rank(),
         section->second.allocation_policy() == cv1::PRIORITY
             ? PriorityTier(section->second, record.school_code, grade)
             : 0});
    prepared.applicants.push_back(&candidate);
  }
  return prepared;
}

// The decisions as rows to store, aligned with `applicants`: waitlist
// positions after those already waiting (`waiting`, by section id), lottery
// numbers from 1. Counts the outcomes on `run` and the new seats by section
// id in `enrolled`.
std::vector<store::AllocationDecisionRow> DecisionRows(
    const AllocationResult& result, const std::vector<const store::Candidate*>& applicants,
    const std::map<std::string, int>& waiting, v1::AllocationRun* run,
    std::map<std::string, int>* enrolled) {
  std::map<std::string, int> lottery_number;
  for (size_t i = 0; i < result.lottery_order.size(); ++i) {
    lottery_number.emplace(result.lottery_order[i], static_cast<int>(i) + 1);
  }
  std::vector<store::AllocationDecisionRow> rows(result.decisions.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Decision& decision = result.decisions[i];
    const store::ApplicationRecord& record = applicants[i]->record;
    store::AllocationDecisionRow& row = rows[i];
    row.application_id = record.id;
    row.school_code = record.school_code;
    row.student_key = record.student_key;
    row.section_name = record.application.section();
    row.outcome = StateOf(decision.outcome);
    row.lottery_number = lottery_number[record.application.student()];
    row.reason = decision.reason;
    if (row.outcome == v1::WAITLISTED) {
      const auto before = waiting.find(record.section_id);
      row.waitlist_position =
          decision.waitlist_position + (before == waiting.end() ? 0 : before->second);
      run->set_waitlisted_count(run->waitlisted_count() + 1);
    } else if (row.outcome == v1::ENROLLED) {
      ++(*enrolled)[record.section_id];
      run->set_enrolled_count(run->enrolled_count() + 1);
    } else {
      run->set_not_placed_count(run->not_placed_count() + 1);
    }
  }
  return rows;
}

// The decisions in the run's order (RunOrder), and the applications as they
// leave them (state, reason, decided_by, etag, waitlist position, update
// time), aligned.
std::pair<std::vector<store::AllocationDecisionRow>, std::vector<v1::Application>> InRunOrder(
    std::vector<store::AllocationDecisionRow> rows,
    const std::vector<const store::Candidate*>& applicants, const std::string& run_id,
    const std::string& run_by, const google::protobuf::Timestamp& now) {
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return RunOrder(rows[a]) < RunOrder(rows[b]); });
  std::vector<store::AllocationDecisionRow> ordered;
  std::vector<v1::Application> after;
  ordered.reserve(rows.size());
  after.reserve(rows.size());
  for (const size_t i : order) {
    const store::ApplicationRecord& record = applicants[i]->record;
    v1::Application& changed = after.emplace_back(record.application);
    changed.set_state(rows[i].outcome);
    changed.set_reason(absl::StrCat("allocation ", run_id, ": ", rows[i].reason));
    changed.set_decided_by(run_by);
    changed.set_etag(absl::StrCat(record.version + 1));
    changed.set_waitlist_position(rows[i].waitlist_position);
    *changed.mutable_update_time() = now;
    ordered.push_back(std::move(rows[i]));
  }
  return {std::move(ordered), std::move(after)};
}

}  // namespace

AllocationRuns::AllocationRuns(store::Store* store, const PageTokens* page_tokens,
                               CatalogSections* catalog, int max_sections_per_student,
                               AllocationRunOptions options)
    : store_(store),
      page_tokens_(page_tokens),
      catalog_(catalog),
      max_sections_per_student_(max_sections_per_student),
      options_(options) {}

AllocationRuns::~AllocationRuns() {
  std::vector<std::thread> threads;
  {
    absl::MutexLock lock(&mu_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

absl::StatusOr<v1::AllocationOperation> AllocationRuns::Start(
    const Call& call, const v1::RunAllocationRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireCityOrOffice(*call.principal, "run allocations"));
  OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("term", request.term()));
  OSAN_RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  // A place for a new run, reserved now and given back below if none
  // starts; without one, only a replay is answered.
  bool may_start = false;
  {
    absl::MutexLock lock(&mu_);
    if (running_ < options_.max_running) {
      ++running_;
      may_start = true;
    }
  }

  Job job;
  job.id = NewUuid();
  job.term = term;
  job.seed = request.seed() != 0 ? request.seed() : RandomSeed();
  job.run_by = call.principal->institution;
  job.caller = call.audit.caller();
  v1::AllocationOperation& operation = job.operation;
  operation.set_name(absl::StrCat("operations/", job.id));
  operation.set_stage("queued");
  operation.set_term(term.name());
  *operation.mutable_create_time() = TimestampOf(call.now);
  *operation.mutable_update_time() = TimestampOf(call.now);

  bool started = false;
  const db::RequestKey key = db::MakeRequestKey(call.principal->institution, "RunAllocation",
                                                request.request_id(), request);
  absl::StatusOr<v1::AllocationOperation> answer =
      store_->Transact([&](store::Records& records) -> absl::StatusOr<v1::AllocationOperation> {
        started = false;
        OSAN_ASSIGN_OR_RETURN(const v1::AllocationOperation first,
                              db::Idempotent<v1::AllocationOperation>(
                                  records, key, [&]() -> absl::StatusOr<v1::AllocationOperation> {
                                    if (!may_start) {
                                      return absl::ResourceExhaustedError(absl::StrCat(
                                          options_.max_running,
                                          " allocations are running on this server; retry "
                                          "when one is done"));
                                    }
                                    OSAN_RETURN_IF_ERROR(records.InsertAllocationOperation(
                                        job.id, term.id(), operation));
                                    started = true;
                                    return operation;
                                  }));
        if (started) {
          return first;
        }
        // A replay: the operation as it stands now.
        OSAN_ASSIGN_OR_RETURN(const std::string id,
                              ParseUuidName("name", first.name(), "operations/"));
        OSAN_ASSIGN_OR_RETURN(store::StoredOperation stored,
                              records.GetAllocationOperation(id, options_.grace));
        return std::move(stored.operation);
      });
  absl::MutexLock lock(&mu_);
  if (!answer.ok() || !started) {
    running_ -= may_start ? 1 : 0;
    return answer;
  }
  if (running_ == 1) {  // only this run: every earlier thread is past its last use of mu_
    for (std::thread& thread : threads_) {
      thread.join();
    }
    threads_.clear();
  }
  threads_.emplace_back(&AllocationRuns::Execute, this, std::move(job));
  return answer;
}

void AllocationRuns::Execute(Job job) {
  audit::CallRecord record(job.caller);
  // The sections come from catalog before the transaction: no lock is held
  // while catalog answers.
  Report(job, "reading sections", 2);
  const absl::StatusOr<std::map<std::string, cv1::Section>> sections = AllocatedSections(job);
  absl::StatusOr<v1::AllocationRun> run = absl::UnknownError("the run did not start");
  if (!sections.ok()) {
    run = sections.status();
  } else {
    const audit::TransactionScope scope({&record});
    run = store_->Transact([&](store::Records& records) -> absl::StatusOr<v1::AllocationRun> {
      return Allocate(job, *sections, record, records);
    });
  }
  if (!run.ok()) {
    log::Warning("allocation failed", {{"operation", job.operation.name()},
                                       {"term", job.term.name()},
                                       {"status", run.status().ToString()}});
    const v1::AllocationOperation failed = Failed(job.operation, run.status());
    const audit::TransactionScope none({});
    // If this fails too, the operation goes quiet and readers report it
    // interrupted: the same outcome, later.
    (void)store_->Transact(
        [&](store::Records& records) { return records.UpdateAllocationOperation(job.id, failed); });
  }
  absl::MutexLock lock(&mu_);
  --running_;
}

void AllocationRuns::Report(Job& job, const std::string& stage, int percent) {
  job.operation.set_stage(stage);
  job.operation.set_percent(percent);
  *job.operation.mutable_update_time() = TimestampOf(absl::Now());
  const audit::TransactionScope none({});  // progress names no student
  (void)store_->Transact([&](store::Records& records) {
    return records.UpdateAllocationOperation(job.id, job.operation);
  });
}

absl::StatusOr<std::map<std::string, cv1::Section>> AllocationRuns::AllocatedSections(
    const Job& job) {
  cv1::ListSectionsRequest closed;
  closed.set_state(cv1::ENROLLMENT_CLOSED);
  OSAN_ASSIGN_OR_RETURN(
      std::vector<cv1::Section> sections,
      catalog_->OfTerm(job.term.name(), closed, absl::Now() + options_.catalog_timeout));
  std::map<std::string, cv1::Section> allocated;
  for (cv1::Section& section : sections) {
    if (section.allocation_policy() == cv1::FIRST_COME) {
      continue;
    }
    OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("section", section.name()));
    allocated.emplace(id.id, std::move(section));
  }
  return allocated;
}

absl::StatusOr<v1::AllocationRun> AllocationRuns::Allocate(
    Job& job, const std::map<std::string, cv1::Section>& sections, audit::CallRecord& audit,
    store::Records& records) {
  OSAN_RETURN_IF_ERROR(records.HoldAllocationOperation(job.id));
  OSAN_ASSIGN_OR_RETURN(const bool alone, records.LockTermForAllocation(job.term.id()));
  if (!alone) {
    return absl::FailedPreconditionError(
        absl::StrCat("another allocation of ", job.term.name(),
                     " is running; wait for it to finish (GetAllocationOperation), then run "
                     "again with a new request_id"));
  }
  const absl::Time began = absl::Now();
  Report(job, "reading applications", 5);
  std::map<std::string, int> capacity;
  std::vector<std::string> section_ids;
  for (const auto& [id, section] : sections) {
    capacity[id] = section.capacity();
    section_ids.push_back(id);
  }
  OSAN_ASSIGN_OR_RETURN(const std::vector<store::Candidate> candidates,
                        records.LockAllocationCandidates(job.term.id(), section_ids));

  // Seats: what each section has left, who holds them, who waits.
  OSAN_ASSIGN_OR_RETURN(auto seats, records.LockSeatsOf(capacity));
  OSAN_ASSIGN_OR_RETURN(auto enrolled_by_school, records.EnrolledBySchoolOf(section_ids));
  OSAN_ASSIGN_OR_RETURN(const auto waiting, records.WaitlistLengths(section_ids));

  // Seats the candidates hold already (first-come, earlier runs): they count
  // toward the term's limit. Their students are locked, as a first-come
  // batch locks them, so that none takes a seat elsewhere meanwhile.
  std::vector<store::StudentRef> students;
  for (const store::Candidate& candidate : candidates) {
    students.emplace_back(candidate.record.school_code, candidate.record.student_key);
  }
  students = store::InLockOrder(std::move(students));
  OSAN_RETURN_IF_ERROR(records.LockStudents(students).status());
  OSAN_ASSIGN_OR_RETURN(const auto held, records.EnrolledCounts(job.term.id(), students));

  const absl::Time read = absl::Now();
  Report(job, "allocating", 40);
  PreparedInput prepared = Prepare(sections, candidates, seats, enrolled_by_school);
  for (const auto& [student, count] : held) {
    prepared.input.seats_before[StudentId{student.first, student.second}.name()] = count;
  }
  prepared.input.seed = job.seed;
  prepared.input.max_sections_per_student = max_sections_per_student_;
  const AllocationResult result = enrollment::Allocate(prepared.input);
  const std::vector<const store::Candidate*>& applicants = prepared.applicants;

  const absl::Time allocated = absl::Now();
  Report(job, "writing decisions", 70);
  v1::AllocationRun run;
  std::map<std::string, int> enrolled;
  std::vector<store::AllocationDecisionRow> rows =
      DecisionRows(result, applicants, waiting, &run, &enrolled);
  // The applications as the decisions leave them, for the change feed.
  OSAN_ASSIGN_OR_RETURN(const int64_t now, records.TransactionMicros());
  auto [ordered, after] = InRunOrder(std::move(rows), applicants, job.id, job.run_by,
                                     TimeUtil::MicrosecondsToTimestamp(now));
  for (const v1::Application& changed : after) {
    audit.Name(changed.student());
  }
  OSAN_RETURN_IF_ERROR(records.ApplyAllocation(job.id, job.run_by, ordered, after));
  for (auto& [id, count] : enrolled) {
    count += seats[id].enrolled;
  }
  OSAN_RETURN_IF_ERROR(records.SetEnrolledOf(enrolled));

  run.set_name(absl::StrCat("allocationRuns/", job.id));
  run.set_term(job.term.name());
  run.set_seed(job.seed);
  run.set_run_by(job.run_by);
  *run.mutable_create_time() = job.operation.create_time();
  run.set_section_count(static_cast<int>(sections.size()));
  run.set_student_count(static_cast<int>(result.lottery_order.size()));
  OSAN_RETURN_IF_ERROR(records.InsertAllocationRun(job.id, job.term.id(), run));

  v1::AllocationOperation done = job.operation;
  done.set_done(true);
  done.set_stage("done");
  done.set_percent(100);
  *done.mutable_run() = run;
  *done.mutable_update_time() = TimestampOf(absl::Now());
  OSAN_ASSIGN_OR_RETURN(const bool updated, records.UpdateAllocationOperation(job.id, done));
  if (!updated) {
    return absl::AbortedError("the operation was given up while it ran; nothing was changed");
  }
  const auto ms = [](absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); };
  log::Info("allocation written, committing", {{"operation", job.operation.name()},
                                               {"applications", absl::StrCat(ordered.size())},
                                               {"read_ms", ms(read - began)},
                                               {"allocate_ms", ms(allocated - read)},
                                               {"write_ms", ms(absl::Now() - allocated)}});
  return run;
}

absl::StatusOr<v1::AllocationOperation> AllocationRuns::GetOperation(
    const Call& call, const v1::GetAllocationOperationRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireCityOrOffice(*call.principal, "read allocation operations"));
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseUuidName("name", request.name(), "operations/"));
  return store_->Transact([&](store::Records& records) -> absl::StatusOr<v1::AllocationOperation> {
    OSAN_ASSIGN_OR_RETURN(store::StoredOperation stored,
                          records.GetAllocationOperation(id, options_.grace));
    if (!stored.quiet) {
      return std::move(stored.operation);
    }
    const v1::AllocationOperation interrupted = Failed(
        stored.operation,
        absl::AbortedError("the allocation was interrupted (its server stopped) before it "
                           "committed; nothing was changed; run it again with a new request_id"));
    OSAN_ASSIGN_OR_RETURN(const bool abandoned,
                          records.AbandonAllocationOperation(id, interrupted, options_.grace));
    if (abandoned) {
      return interrupted;
    }
    OSAN_ASSIGN_OR_RETURN(stored, records.GetAllocationOperation(id, options_.grace));
    return std::move(stored.operation);  // still held by its run, or just done
  });
}

absl::StatusOr<v1::AllocationRun> AllocationRuns::GetRun(
    const Call& call, const v1::GetAllocationRunRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireCityOrOffice(*call.principal, "read allocation runs"));
  OSAN_ASSIGN_OR_RETURN(const std::string id,
                        ParseUuidName("name", request.name(), "allocationRuns/"));
  return store_->Transact([&](store::Records& records) { return records.GetAllocationRun(id); });
}

absl::StatusOr<v1::ListAllocationDecisionsResponse> AllocationRuns::ListDecisions(
    const Call& call, const v1::ListAllocationDecisionsRequest& request) {
  OSAN_RETURN_IF_ERROR(auth::RequireCityOrOffice(*call.principal, "read allocation runs"));
  OSAN_ASSIGN_OR_RETURN(const std::string id,
                        ParseUuidName("parent", request.parent(), "allocationRuns/"));
  std::string section_name;
  if (!request.section().empty()) {
    OSAN_ASSIGN_OR_RETURN(const SectionId section, ParseSectionName("section", request.section()));
    section_name = section.name();
  }
  std::string school_code;
  if (!request.home_school().empty()) {
    OSAN_ASSIGN_OR_RETURN(school_code, ParseInstitutionName("home_school", request.home_school()));
  }
  v1::ListAllocationDecisionsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, *page_tokens_, call, "ListAllocationDecisions", request,
                            [&](store::Records& records, const std::string& after,
                                int limit) -> absl::StatusOr<Page<v1::AllocationDecision>> {
                              OSAN_RETURN_IF_ERROR(records.GetAllocationRun(id).status());
                              return records.ListAllocationDecisions(id, section_name, school_code,
                                                                     after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& decision : page.items) {
    call.Audit(decision.student());
    *response.add_decisions() = std::move(decision);
  }
  return response;
}

}  // namespace osan::enrollment
