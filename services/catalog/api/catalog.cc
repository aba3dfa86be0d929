#include "services/catalog/api/catalog.h"

#include "absl/strings/str_cat.h"
#include "common/field_mask.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/roles.h"
#include "common/status.h"
#include "common/use_case.h"
#include "common/validation.h"
#include "services/catalog/domain/registry.h"
#include "services/catalog/domain/rules.h"

namespace osan::catalog {
namespace {

// A host named by a request must exist and be able to host.
absl::StatusOr<v1::Institution> ReadHost(store::Records& records, const std::string& host_code) {
  auto host = records.GetInstitution(host_code);
  if (absl::IsNotFound(host.status())) {
    return InvalidField("host", absl::StrCat(InstitutionName(host_code), " does not exist"));
  }
  OSAN_RETURN_IF_ERROR(host.status());
  if (!CanHost(host->kind())) {
    return InvalidField("host", "the city government and education office do not host courses");
  }
  return host;
}

// A programme named by a course or section (`field`, already well formed)
// must exist: NOT_FOUND naming the field otherwise. Nothing to check when
// `name` is empty.
absl::Status CheckProgrammeExists(store::Records& records, absl::string_view field,
                                  const std::string& name) {
  if (name.empty()) {
    return absl::OkStatus();
  }
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseProgrammeName(field, name));
  const auto programme = records.GetProgramme(id);
  if (absl::IsNotFound(programme.status())) {
    return absl::NotFoundError(absl::StrCat(field, ": ", name, " does not exist"));
  }
  return programme.status();
}

// The term of a section (by its name).
absl::StatusOr<v1::Term> TermOf(store::Records& records, const v1::Section& section) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("name", section.name()));
  return records.GetTerm(id.term.id());
}

// A change of what a course is (RecognisedFieldsChanged: `changed`) against
// its live sections: a school's course is frozen once a section has opened
// enrolment (students applied for it as it was), and new credits must be
// deliverable by every live section's planned sessions and meetings.
absl::Status CheckCourseChangeAgainstSections(store::Records& records, const std::string& course_id,
                                              const v1::Course& before, const v1::Course& after,
                                              const std::string& changed) {
  OSAN_ASSIGN_OR_RETURN(const auto sections, records.LiveSectionsOfCourse(course_id));
  for (const v1::Section& section : sections) {
    const bool opened = section.state() != v1::DRAFT && section.state() != v1::PUBLISHED;
    if (opened && before.recognition().state() == v1::NOT_REQUIRED) {
      return absl::FailedPreconditionError(absl::StrCat(
          changed, " cannot change once a section has opened enrolment (", section.name(),
          "): students applied for the course as it is; create a new course instead"));
    }
    if (after.credits() != before.credits()) {
      OSAN_ASSIGN_OR_RETURN(const v1::Term term, TermOf(records, section));
      const absl::Status delivers = CheckDeliversHours(section, after.credits(), term);
      if (!delivers.ok()) {
        return InvalidField("credits",
                            absl::StrCat(section.name(), " cannot deliver ", after.credits(),
                                         " credit(s): ", delivers.message()));
      }
    }
  }
  return absl::OkStatus();
}

// New class dates or non-teaching dates of a term must leave every live
// section of it able to deliver its sessions.
absl::Status CheckTermChangeAgainstSections(store::Records& records, const std::string& term_id,
                                            const v1::Term& term) {
  OSAN_ASSIGN_OR_RETURN(const auto sections, records.LiveSectionsOfTerm(term_id));
  for (const auto& [section, credits] : sections) {
    const absl::Status delivers = CheckDeliversHours(section, credits, term);
    if (!delivers.ok()) {
      return absl::FailedPreconditionError(absl::StrCat("the new dates leave ", section.name(),
                                                        " short of its hours (", delivers.message(),
                                                        "); change its meetings first"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// ----- Institutions ---------------------------------------------------------

absl::StatusOr<v1::Institution> Catalog::CreateInstitution(
    const Call& call, const v1::CreateInstitutionRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  v1::Institution institution = request.institution();
  OSAN_RETURN_IF_ERROR(ValidateInstitution(institution));
  const std::string code = InstitutionCode(institution);
  institution.set_code(code);
  institution.set_name(InstitutionName(code));
  return Write<v1::Institution>(
      call, "CreateInstitution", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Institution> {
        OSAN_RETURN_IF_ERROR(records.InsertInstitution(code, institution));
        return records.GetInstitution(code);
      });
}

absl::Status Catalog::AddRootInstitutions() {
  return store_->Transact([](store::Records& records) -> absl::Status {
    for (v1::Institution root : RootInstitutions()) {
      const std::string code = InstitutionCode(root);
      if (records.GetInstitution(code).ok()) {
        continue;
      }
      root.set_code(code);
      root.set_name(InstitutionName(code));
      OSAN_RETURN_IF_ERROR(records.InsertInstitution(code, root));
    }
    return absl::OkStatus();
  });
}

absl::Status Catalog::Admit(const auth::Principal& principal) {
  return AdmitPrincipal(principal, [&] {
    return registry_.Get(principal.institution, [&] {
      return store_->Transact(
          [&](store::Records& records) { return records.GetInstitution(principal.institution); });
    });
  });
}

absl::StatusOr<v1::Institution> Catalog::GetInstitution(const Call&,
                                                        const v1::GetInstitutionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string code, ParseInstitutionName("name", request.name()));
  return store_->Transact([&](store::Records& records) { return records.GetInstitution(code); });
}

absl::StatusOr<v1::ListInstitutionsResponse> Catalog::ListInstitutions(
    const Call& call, const v1::ListInstitutionsRequest& request) {
  if (!v1::InstitutionKind_IsValid(request.kind())) {
    return InvalidField("kind", "unknown kind");
  }
  v1::ListInstitutionsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListInstitutions", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListInstitutions(request.kind(), after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& item : page.items) {
    *response.add_institutions() = std::move(item);
  }
  return response;
}

absl::StatusOr<v1::Institution> Catalog::UpdateInstitution(
    const Call& call, const v1::UpdateInstitutionRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  OSAN_ASSIGN_OR_RETURN(const std::string code,
                        ParseInstitutionName("institution.name", request.institution().name()));
  return Write<v1::Institution>(
      call, "UpdateInstitution", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Institution> {
        OSAN_ASSIGN_OR_RETURN(v1::Institution current,
                              records.GetInstitution(code, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.institution().etag(), current.etag()));
        OSAN_RETURN_IF_ERROR(ApplyFieldMask(request.institution(), request.update_mask(),
                                            kInstitutionUpdatable, &current));
        OSAN_RETURN_IF_ERROR(ValidateInstitution(current));
        return records.UpdateInstitution(code, current);
      });
}

// ----- Terms ----------------------------------------------------------------

absl::StatusOr<v1::Term> Catalog::CreateTerm(const Call& call,
                                             const v1::CreateTermRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  v1::Term term = request.term();
  OSAN_RETURN_IF_ERROR(ValidateTerm(term));
  const TermId id{term.year(), term.semester()};
  term.set_name(id.name());
  return Write<v1::Term>(call, "CreateTerm", request,
                         [&](store::Records& records) -> absl::StatusOr<v1::Term> {
                           OSAN_RETURN_IF_ERROR(records.InsertTerm(id.id(), term));
                           return records.GetTerm(id.id());
                         });
}

absl::StatusOr<v1::Term> Catalog::GetTerm(const Call&, const v1::GetTermRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const TermId id, ParseTermName("name", request.name()));
  return store_->Transact([&](store::Records& records) { return records.GetTerm(id.id()); });
}

absl::StatusOr<v1::ListTermsResponse> Catalog::ListTerms(const Call& call,
                                                         const v1::ListTermsRequest& request) {
  if (request.year() != 0) {
    OSAN_RETURN_IF_ERROR(CheckRange("year", request.year(), 2000, 2100));
  }
  v1::ListTermsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListTerms", request,
                            [&](store::Records& records, const std::string& before, int limit) {
                              return records.ListTerms(request.year(), before, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& item : page.items) {
    *response.add_terms() = std::move(item);
  }
  return response;
}

absl::StatusOr<v1::Term> Catalog::UpdateTerm(const Call& call,
                                             const v1::UpdateTermRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  OSAN_ASSIGN_OR_RETURN(const TermId id, ParseTermName("term.name", request.term().name()));
  return Write<v1::Term>(
      call, "UpdateTerm", request, [&](store::Records& records) -> absl::StatusOr<v1::Term> {
        OSAN_ASSIGN_OR_RETURN(v1::Term current, records.GetTerm(id.id(), store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.term().etag(), current.etag()));
        OSAN_RETURN_IF_ERROR(
            ApplyFieldMask(request.term(), request.update_mask(), kTermUpdatable, &current));
        OSAN_RETURN_IF_ERROR(ValidateTerm(current));
        OSAN_RETURN_IF_ERROR(CheckTermChangeAgainstSections(records, id.id(), current));
        return records.UpdateTerm(id.id(), current);
      });
}

// ----- Courses --------------------------------------------------------------

absl::StatusOr<v1::Course> Catalog::CreateCourse(const Call& call,
                                                 const v1::CreateCourseRequest& request) {
  v1::Course course = request.course();
  ApplyCourseDefaults(&course);
  OSAN_RETURN_IF_ERROR(ValidateCourse(course));
  OSAN_RETURN_IF_ERROR(auth::RequireHostOrCity(*call.principal, course.host()));
  OSAN_ASSIGN_OR_RETURN(const std::string host_code, ParseInstitutionName("host", course.host()));
  return Write<v1::Course>(
      call, "CreateCourse", request, [&](store::Records& records) -> absl::StatusOr<v1::Course> {
        OSAN_ASSIGN_OR_RETURN(const v1::Institution host, ReadHost(records, host_code));
        OSAN_RETURN_IF_ERROR(CheckProgrammeExists(records, "course.programme", course.programme()));
        *course.mutable_recognition() = InitialRecognition(host.kind());
        const std::string id = NewUuid();
        course.set_name(CourseName(id));
        OSAN_RETURN_IF_ERROR(records.InsertCourse(id, course));
        return records.GetCourse(id);
      });
}

absl::StatusOr<v1::Course> Catalog::GetCourse(const Call&, const v1::GetCourseRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseCourseName("name", request.name()));
  return store_->Transact([&](store::Records& records) { return records.GetCourse(id); });
}

absl::StatusOr<v1::ListCoursesResponse> Catalog::ListCourses(
    const Call& call, const v1::ListCoursesRequest& request) {
  std::string host_code;
  if (!request.host().empty()) {
    OSAN_ASSIGN_OR_RETURN(host_code, ParseInstitutionName("host", request.host()));
  }
  if (!v1::RecognitionState_IsValid(request.recognition_state())) {
    return InvalidField("recognition_state", "unknown state");
  }
  v1::ListCoursesResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListCourses", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListCourses(host_code, request.recognition_state(),
                                                         after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& item : page.items) {
    *response.add_courses() = std::move(item);
  }
  return response;
}

absl::StatusOr<v1::Course> Catalog::UpdateCourse(const Call& call,
                                                 const v1::UpdateCourseRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id,
                        ParseCourseName("course.name", request.course().name()));
  return Write<v1::Course>(
      call, "UpdateCourse", request, [&](store::Records& records) -> absl::StatusOr<v1::Course> {
        OSAN_ASSIGN_OR_RETURN(const v1::Course before,
                              records.GetCourse(id, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(auth::RequireHostOrCity(*call.principal, before.host()));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.course().etag(), before.etag()));
        v1::Course current = before;
        OSAN_RETURN_IF_ERROR(
            ApplyFieldMask(request.course(), request.update_mask(), kCourseUpdatable, &current));
        ApplyCourseDefaults(&current);
        OSAN_RETURN_IF_ERROR(ValidateCourse(current));
        if (current.programme() != before.programme()) {
          OSAN_RETURN_IF_ERROR(
              CheckProgrammeExists(records, "course.programme", current.programme()));
        }
        const std::string changed = RecognisedFieldsChanged(before, current);
        if (!changed.empty()) {
          OSAN_RETURN_IF_ERROR(
              CheckCourseChangeAgainstSections(records, id, before, current, changed));
          // The office recognised what it saw: a changed course is reviewed again.
          ReturnToReview(changed, &current);
        }
        return records.UpdateCourse(id, current);
      });
}

absl::StatusOr<v1::Course> Catalog::ReviewRecognition(const Call& call,
                                                      const v1::ReviewRecognitionRequest& request) {
  OSAN_RETURN_IF_ERROR(
      auth::RequireEducationOffice(*call.principal, "review out-of-school recognition"));
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseCourseName("name", request.name()));
  if (request.decision() != v1::APPROVED && request.decision() != v1::REJECTED) {
    return InvalidField("decision", "must be APPROVED or REJECTED");
  }
  OSAN_RETURN_IF_ERROR(
      CheckText("reason", request.reason(), request.decision() == v1::REJECTED ? 1 : 0, 500));
  return Write<v1::Course>(
      call, "ReviewRecognition", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Course> {
        OSAN_ASSIGN_OR_RETURN(v1::Course course, records.GetCourse(id, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.etag(), course.etag()));
        if (course.recognition().state() == v1::NOT_REQUIRED) {
          return absl::FailedPreconditionError(
              "the course's host is a school: its courses need no recognition");
        }
        if (course.recognition().state() != v1::PENDING) {
          return absl::FailedPreconditionError(absl::StrCat(
              "the course is ", v1::RecognitionState_Name(course.recognition().state()),
              ", not PENDING; a change by the host sends it back for review"));
        }
        Review(request.decision(), call.principal->institution, call.now, request.reason(),
               &course);
        return records.UpdateCourse(id, course);
      });
}

// ----- Programmes -----------------------------------------------------------

absl::StatusOr<v1::Programme> Catalog::CreateProgramme(const Call& call,
                                                       const v1::CreateProgrammeRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  OSAN_RETURN_IF_ERROR(CheckProgrammeId("programme_id", request.programme_id()));
  v1::Programme programme = request.programme();
  OSAN_RETURN_IF_ERROR(ValidateProgramme(programme));
  programme.set_name(ProgrammeName(request.programme_id()));
  return Write<v1::Programme>(
      call, "CreateProgramme", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Programme> {
        OSAN_RETURN_IF_ERROR(records.InsertProgramme(request.programme_id(), programme));
        return records.GetProgramme(request.programme_id());
      });
}

absl::StatusOr<v1::Programme> Catalog::GetProgramme(const Call&,
                                                    const v1::GetProgrammeRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const std::string id, ParseProgrammeName("name", request.name()));
  return store_->Transact([&](store::Records& records) { return records.GetProgramme(id); });
}

absl::StatusOr<v1::ListProgrammesResponse> Catalog::ListProgrammes(
    const Call& call, const v1::ListProgrammesRequest& request) {
  if (request.year() != 0) {
    OSAN_RETURN_IF_ERROR(CheckRange("year", request.year(), 2000, 2100));
  }
  v1::ListProgrammesResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListProgrammes", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListProgrammes(request.year(), after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& item : page.items) {
    *response.add_programmes() = std::move(item);
  }
  return response;
}

absl::StatusOr<v1::Programme> Catalog::UpdateProgramme(const Call& call,
                                                       const v1::UpdateProgrammeRequest& request) {
  OSAN_RETURN_IF_ERROR(RequireCatalogAdmin(*call.principal));
  OSAN_ASSIGN_OR_RETURN(const std::string id,
                        ParseProgrammeName("programme.name", request.programme().name()));
  return Write<v1::Programme>(
      call, "UpdateProgramme", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Programme> {
        OSAN_ASSIGN_OR_RETURN(v1::Programme current,
                              records.GetProgramme(id, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.programme().etag(), current.etag()));
        OSAN_RETURN_IF_ERROR(ApplyFieldMask(request.programme(), request.update_mask(),
                                            kProgrammeUpdatable, &current));
        OSAN_RETURN_IF_ERROR(ValidateProgramme(current));
        return records.UpdateProgramme(id, current);
      });
}

// ----- Sections -------------------------------------------------------------

absl::StatusOr<v1::Section> Catalog::CreateSection(const Call& call,
                                                   const v1::CreateSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("parent", request.parent()));
  OSAN_ASSIGN_OR_RETURN(const std::string course_id,
                        ParseCourseName("section.course", request.section().course()));
  return Write<v1::Section>(
      call, "CreateSection", request, [&](store::Records& records) -> absl::StatusOr<v1::Section> {
        OSAN_ASSIGN_OR_RETURN(const v1::Term term_facts, records.GetTerm(term.id()));
        auto course = records.GetCourse(course_id);
        if (absl::IsNotFound(course.status())) {
          return InvalidField("section.course", "no such course");
        }
        OSAN_RETURN_IF_ERROR(course.status());
        OSAN_RETURN_IF_ERROR(auth::RequireHostOrCity(*call.principal, course->host()));
        v1::Section section = request.section();
        ApplySectionDefaults(*course, term_facts, &section);
        OSAN_RETURN_IF_ERROR(ValidateSection(section, *course));
        OSAN_RETURN_IF_ERROR(CheckDeliversHours(section, course->credits(), term_facts));
        OSAN_RETURN_IF_ERROR(
            CheckProgrammeExists(records, "section.programme", section.programme()));
        const SectionId id{term, NewUuid()};
        section.set_name(id.name());
        section.set_host(course->host());
        section.set_state(v1::DRAFT);
        section.clear_cancel_reason();
        OSAN_ASSIGN_OR_RETURN(const std::string host_code,
                              ParseInstitutionName("host", course->host()));
        OSAN_RETURN_IF_ERROR(
            records.InsertSection(id.id, term.id(), course_id, host_code, section));
        return records.GetSection(id.id);
      });
}

namespace {

// Reads the section named `name` (its term must match too).
absl::StatusOr<v1::Section> ReadSection(store::Records& records, const SectionId& id,
                                        store::Lock lock) {
  auto section = records.GetSection(id.id, lock);
  if (section.ok() && section->name() != id.name()) {
    return absl::NotFoundError(absl::StrCat(id.name(), " not found"));
  }
  return section;
}

}  // namespace

absl::StatusOr<v1::Section> Catalog::GetSection(const Call&, const v1::GetSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("name", request.name()));
  return store_->Transact(
      [&](store::Records& records) { return ReadSection(records, id, store::Lock::kNone); });
}

absl::StatusOr<v1::SectionFacts> Catalog::GetSectionFacts(const Call&,
                                                          const v1::GetSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("name", request.name()));
  return store_->Transact([&](store::Records& records) -> absl::StatusOr<v1::SectionFacts> {
    v1::SectionFacts facts;
    OSAN_ASSIGN_OR_RETURN(*facts.mutable_section(), ReadSection(records, id, store::Lock::kNone));
    OSAN_ASSIGN_OR_RETURN(const std::string course_id,
                          ParseCourseName("course", facts.section().course()));
    OSAN_ASSIGN_OR_RETURN(*facts.mutable_course(), records.GetCourse(course_id));
    OSAN_ASSIGN_OR_RETURN(*facts.mutable_term(), records.GetTerm(id.term.id()));
    return facts;
  });
}

absl::StatusOr<v1::ListSectionsResponse> Catalog::ListSections(
    const Call& call, const v1::ListSectionsRequest& request) {
  store::SectionFilter filter;
  if (request.parent() != "terms/-") {
    OSAN_ASSIGN_OR_RETURN(const TermId term, ParseTermName("parent", request.parent()));
    filter.term_id = term.id();
  }
  if (!request.host().empty()) {
    OSAN_ASSIGN_OR_RETURN(filter.host_code, ParseInstitutionName("host", request.host()));
  }
  if (!v1::SectionState_IsValid(request.state())) {
    return InvalidField("state", "unknown state");
  }
  filter.state = request.state();
  if (!request.programme().empty()) {
    OSAN_RETURN_IF_ERROR(ParseProgrammeName("programme", request.programme()).status());
    filter.programme = request.programme();
  }
  v1::ListSectionsResponse response;
  OSAN_ASSIGN_OR_RETURN(auto page,
                        ReadPage(
                            *store_, page_tokens_, call, "ListSections", request,
                            [&](store::Records& records, const std::string& after, int limit) {
                              return records.ListSections(filter, after, limit);
                            },
                            response.mutable_next_page_token()));
  for (auto& item : page.items) {
    *response.add_sections() = std::move(item);
  }
  return response;
}

absl::StatusOr<v1::Section> Catalog::UpdateSection(const Call& call,
                                                   const v1::UpdateSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id,
                        ParseSectionName("section.name", request.section().name()));
  return Write<v1::Section>(
      call, "UpdateSection", request, [&](store::Records& records) -> absl::StatusOr<v1::Section> {
        OSAN_ASSIGN_OR_RETURN(const v1::Section before,
                              ReadSection(records, id, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(auth::RequireHostOrCity(*call.principal, before.host()));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.section().etag(), before.etag()));
        v1::Section after = before;
        OSAN_RETURN_IF_ERROR(
            ApplyFieldMask(request.section(), request.update_mask(), kSectionUpdatable, &after));
        OSAN_ASSIGN_OR_RETURN(const std::string course_id,
                              ParseCourseName("course", after.course()));
        OSAN_ASSIGN_OR_RETURN(v1::Course course,
                              records.GetCourse(course_id, store::Lock::kForUpdate));
        OSAN_ASSIGN_OR_RETURN(const v1::Term term, records.GetTerm(id.term.id()));
        ApplySectionDefaults(course, term, &after);
        OSAN_RETURN_IF_ERROR(ValidateSection(after, course));
        OSAN_RETURN_IF_ERROR(CheckSectionUpdate(before, after, request.update_mask()));
        OSAN_RETURN_IF_ERROR(CheckDeliversHours(after, course.credits(), term));
        if (after.programme() != before.programme()) {
          OSAN_RETURN_IF_ERROR(
              CheckProgrammeExists(records, "section.programme", after.programme()));
        }
        // The sessions are part of what the office recognised.
        if (after.sessions() != before.sessions() &&
            ReturnToReview(absl::StrCat("the sessions of ", after.name()), &course)) {
          OSAN_RETURN_IF_ERROR(records.UpdateCourse(course_id, course).status());
        }
        return records.UpdateSection(id.id, after);
      });
}

absl::StatusOr<v1::Section> Catalog::TransitionSection(
    const Call& call, const v1::TransitionSectionRequest& request) {
  OSAN_ASSIGN_OR_RETURN(const SectionId id, ParseSectionName("name", request.name()));
  return Write<v1::Section>(
      call, "TransitionSection", request,
      [&](store::Records& records) -> absl::StatusOr<v1::Section> {
        OSAN_ASSIGN_OR_RETURN(v1::Section section,
                              ReadSection(records, id, store::Lock::kForUpdate));
        OSAN_RETURN_IF_ERROR(auth::RequireHostOrCity(*call.principal, section.host()));
        OSAN_RETURN_IF_ERROR(CheckEtag(request.etag(), section.etag()));
        OSAN_ASSIGN_OR_RETURN(const std::string course_id,
                              ParseCourseName("course", section.course()));
        OSAN_ASSIGN_OR_RETURN(const v1::Course course, records.GetCourse(course_id));
        OSAN_RETURN_IF_ERROR(
            CheckTransition(section, request.target_state(), request.reason(), course));
        section.set_state(request.target_state());
        if (request.target_state() == v1::CANCELLED) {
          section.set_cancel_reason(request.reason());
        }
        return records.UpdateSection(id.id, section);
      });
}

}  // namespace osan::catalog
