// What the catalog's use cases read and write in one transaction, apart from
// the database: PgRecords (catalog_store.h) over PostgreSQL, MemoryRecords
// (memory_records.h) its in-memory twin for unit tests of the use cases.
//
// Reads return NOT_FOUND naming the resource. Writes of a resource store its
// message without the output-only etag/create_time/update_time, which reads
// fill from the record (etag = the record's version).
#ifndef OSAN_SERVICES_CATALOG_STORE_RECORDS_H_
#define OSAN_SERVICES_CATALOG_STORE_RECORDS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/paging.h"
#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog::store {

// Whether a read locks the record until the transaction ends (for updates).
enum class Lock { kNone, kForUpdate };

// Institutions, by code.
class Institutions {
 public:
  virtual ~Institutions() = default;
  // ALREADY_EXISTS if the code is taken.
  virtual absl::Status InsertInstitution(const std::string& code,
                                         const v1::Institution& institution) = 0;
  virtual absl::StatusOr<v1::Institution> GetInstitution(const std::string& code,
                                                         Lock lock = Lock::kNone) = 0;
  // By code; an unspecified kind matches all.
  virtual absl::StatusOr<Page<v1::Institution>> ListInstitutions(v1::InstitutionKind kind,
                                                                 const std::string& after,
                                                                 int limit) = 0;
  // Stores `institution` as the next version.
  virtual absl::StatusOr<v1::Institution> UpdateInstitution(const std::string& code,
                                                            const v1::Institution& institution) = 0;
};

// Terms, by id ("2026-1").
class Terms {
 public:
  virtual ~Terms() = default;
  // ALREADY_EXISTS if the id is taken.
  virtual absl::Status InsertTerm(const std::string& id, const v1::Term& term) = 0;
  virtual absl::StatusOr<v1::Term> GetTerm(const std::string& id, Lock lock = Lock::kNone) = 0;
  // Newest first; `year` 0 matches all; `before` is the id the previous page
  // ended with.
  virtual absl::StatusOr<Page<v1::Term>> ListTerms(int year, const std::string& before,
                                                   int limit) = 0;
  virtual absl::StatusOr<v1::Term> UpdateTerm(const std::string& id, const v1::Term& term) = 0;
  // The latest term whose application window has opened by `now_unix`, else
  // the next to open; NOT_FOUND if there are no terms.
  virtual absl::StatusOr<std::string> CurrentTermId(int64_t now_unix) = 0;
};

// Which sections ListSections returns; empty fields and an unspecified
// state match all.
struct SectionFilter {
  std::string term_id;
  std::string host_code;
  v1::SectionState state = v1::SECTION_STATE_UNSPECIFIED;
  // `programmes/{id}`: sections it funds (FundingProgramme).
  std::string programme;
};

// Courses and programmes by id, sections by id within their term.
class Offerings {
 public:
  virtual ~Offerings() = default;
  virtual absl::Status InsertCourse(const std::string& id, const v1::Course& course) = 0;
  virtual absl::StatusOr<v1::Course> GetCourse(const std::string& id, Lock lock = Lock::kNone) = 0;
  // By id; empty `host_code` / unspecified `state` match all.
  virtual absl::StatusOr<Page<v1::Course>> ListCourses(const std::string& host_code,
                                                       v1::RecognitionState state,
                                                       const std::string& after, int limit) = 0;
  virtual absl::StatusOr<v1::Course> UpdateCourse(const std::string& id,
                                                  const v1::Course& course) = 0;

  // ALREADY_EXISTS if the id is taken.
  virtual absl::Status InsertProgramme(const std::string& id, const v1::Programme& programme) = 0;
  virtual absl::StatusOr<v1::Programme> GetProgramme(const std::string& id,
                                                     Lock lock = Lock::kNone) = 0;
  // By id; `year` 0 matches all.
  virtual absl::StatusOr<Page<v1::Programme>> ListProgrammes(int year, const std::string& after,
                                                             int limit) = 0;
  virtual absl::StatusOr<v1::Programme> UpdateProgramme(const std::string& id,
                                                        const v1::Programme& programme) = 0;

  virtual absl::Status InsertSection(const std::string& id, const std::string& term_id,
                                     const std::string& course_id, const std::string& host_code,
                                     const v1::Section& section) = 0;
  virtual absl::StatusOr<v1::Section> GetSection(const std::string& id,
                                                 Lock lock = Lock::kNone) = 0;
  // By id.
  virtual absl::StatusOr<Page<v1::Section>> ListSections(const SectionFilter& filter,
                                                         const std::string& after, int limit) = 0;
  // The course's sections that are neither cancelled nor completed, locked,
  // by id.
  virtual absl::StatusOr<std::vector<v1::Section>> LiveSectionsOfCourse(
      const std::string& course_id) = 0;
  // The term's sections that are neither cancelled nor completed, locked,
  // each with its course's credits, by id.
  virtual absl::StatusOr<std::vector<std::pair<v1::Section, int>>> LiveSectionsOfTerm(
      const std::string& term_id) = 0;
  virtual absl::StatusOr<v1::Section> UpdateSection(const std::string& id,
                                                    const v1::Section& section) = 0;
};

// Everything the public listing shows, read consistently.
struct PublicListingData {
  // ListingVersion() of exactly this data.
  std::string version;
  // Every term, by id.
  std::vector<v1::Term> terms;
  // Publicly visible sections of every term (rules.h: IsPubliclyVisible and
  // IsRecognised) with their course, host and term facts (ToPublicSection,
  // AddHowToApply), in no particular order.
  std::vector<v1::PublicSection> sections;
};

class PublicRecords {
 public:
  virtual ~PublicRecords() = default;
  // The public listing's version: an opaque string that changes with every
  // committed write of institutions, terms, programmes, courses or sections.
  virtual absl::StatusOr<std::string> ListingVersion() = 0;
  // Reads the whole public listing in one snapshot: call it first in its
  // transaction.
  virtual absl::StatusOr<PublicListingData> ReadPublicListing() = 0;
};

// Everything one transaction of the catalog reads and writes, with the
// responses of the mutations it ran.
class Records : public Institutions,
                public Terms,
                public Offerings,
                public PublicRecords,
                public db::RequestLog {};

using Store = UnitOfWork<Records>;

}  // namespace osan::catalog::store

#endif  // OSAN_SERVICES_CATALOG_STORE_RECORDS_H_
