// PostgreSQL storage of the catalog. Every function runs inside the caller's
// transaction; none commits. Statements are named and prepared once per
// connection (register `Statements()` with the pool).
//
// Reads return NOT_FOUND naming the resource. Writes of a resource store its
// message without the output-only etag/create_time/update_time, which reads
// fill from the row (etag = the row's version).
#ifndef OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_
#define OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/paging.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog::store {

const std::vector<db::Statement>& Statements();

// Whether a read locks the row until the transaction ends (for updates).
enum class Lock { kNone, kForUpdate };

// ----- Institutions ---------------------------------------------------------
// ALREADY_EXISTS if the code is taken.
absl::Status InsertInstitution(pqxx::work& tx, const std::string& code,
                               const v1::Institution& institution);
absl::StatusOr<v1::Institution> GetInstitution(pqxx::work& tx, const std::string& code,
                                               Lock lock = Lock::kNone);
absl::StatusOr<Page<v1::Institution>> ListInstitutions(pqxx::work& tx, v1::InstitutionKind kind,
                                                       const std::string& after, int limit);
// Stores `institution` as the next version of the row.
absl::StatusOr<v1::Institution> UpdateInstitution(pqxx::work& tx, const std::string& code,
                                                  const v1::Institution& institution);

// ----- Terms ----------------------------------------------------------------
absl::Status InsertTerm(pqxx::work& tx, const std::string& id, const v1::Term& term);
absl::StatusOr<v1::Term> GetTerm(pqxx::work& tx, const std::string& id, Lock lock = Lock::kNone);
// Newest first; `before` is the id the previous page ended with.
absl::StatusOr<Page<v1::Term>> ListTerms(pqxx::work& tx, int year, const std::string& before,
                                         int limit);
absl::StatusOr<v1::Term> UpdateTerm(pqxx::work& tx, const std::string& id, const v1::Term& term);
// The latest term whose application window has opened by `now_unix`, else the
// next to open; NOT_FOUND if there are no terms.
absl::StatusOr<std::string> CurrentTermId(pqxx::work& tx, int64_t now_unix);

// ----- Courses --------------------------------------------------------------
absl::Status InsertCourse(pqxx::work& tx, const std::string& id, const v1::Course& course);
absl::StatusOr<v1::Course> GetCourse(pqxx::work& tx, const std::string& id,
                                     Lock lock = Lock::kNone);
// Empty `host_code` / unspecified `state` match all.
absl::StatusOr<Page<v1::Course>> ListCourses(pqxx::work& tx, const std::string& host_code,
                                             v1::RecognitionState state, const std::string& after,
                                             int limit);
absl::StatusOr<v1::Course> UpdateCourse(pqxx::work& tx, const std::string& id,
                                        const v1::Course& course);

// ----- Programmes -----------------------------------------------------------
// ALREADY_EXISTS if the id is taken.
absl::Status InsertProgramme(pqxx::work& tx, const std::string& id, const v1::Programme& programme);
absl::StatusOr<v1::Programme> GetProgramme(pqxx::work& tx, const std::string& id,
                                           Lock lock = Lock::kNone);
// Ordered by id; `year` 0 matches all.
absl::StatusOr<Page<v1::Programme>> ListProgrammes(pqxx::work& tx, int year,
                                                   const std::string& after, int limit);
absl::StatusOr<v1::Programme> UpdateProgramme(pqxx::work& tx, const std::string& id,
                                              const v1::Programme& programme);

// ----- Sections -------------------------------------------------------------
absl::Status InsertSection(pqxx::work& tx, const std::string& id, const std::string& term_id,
                           const std::string& course_id, const std::string& host_code,
                           const v1::Section& section);
absl::StatusOr<v1::Section> GetSection(pqxx::work& tx, const std::string& id,
                                       Lock lock = Lock::kNone);
// Which sections ListSections returns; empty fields and an unspecified
// state match all.
struct SectionFilter {
  std::string term_id;
  std::string host_code;
  v1::SectionState state = v1::SECTION_STATE_UNSPECIFIED;
  // `programmes/{id}`: sections it funds (FundingProgramme).
  std::string programme;
};
absl::StatusOr<Page<v1::Section>> ListSections(pqxx::work& tx, const SectionFilter& filter,
                                               const std::string& after, int limit);
// The course's sections that are neither cancelled nor completed, locked.
absl::StatusOr<std::vector<v1::Section>> LiveSectionsOfCourse(pqxx::work& tx,
                                                              const std::string& course_id);
// The term's sections that are neither cancelled nor completed, locked, each
// with its course's credits.
absl::StatusOr<std::vector<std::pair<v1::Section, int>>> LiveSectionsOfTerm(
    pqxx::work& tx, const std::string& term_id);
absl::StatusOr<v1::Section> UpdateSection(pqxx::work& tx, const std::string& id,
                                          const v1::Section& section);

// ----- Public listing -------------------------------------------------------

// The public listing's version: an opaque string that changes with every
// committed write of institutions, terms, programmes, courses or sections (a
// counter bumped by triggers, migrations 002_listing_version.sql and
// 003_programmes.sql).
absl::StatusOr<std::string> ListingVersion(pqxx::work& tx);

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

// Reads the whole public listing in one REPEATABLE READ snapshot: call it
// first in its transaction.
absl::StatusOr<PublicListingData> ReadPublicListing(pqxx::work& tx);

}  // namespace osan::catalog::store

#endif  // OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_
