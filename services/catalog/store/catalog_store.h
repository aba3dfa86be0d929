// PostgreSQL storage of the catalog (records.h): every call runs inside the
// transaction the PgRecords was made with and never commits. Statements are
// named and prepared once per connection (register `Statements()` with the
// pool).
#ifndef OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_
#define OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/idempotency.h"
#include "common/paging.h"
#include "osan/catalog/v1/catalog.pb.h"
#include "services/catalog/store/records.h"

namespace osan::catalog::store {

const std::vector<db::Statement>& Statements();

class PgRecords final : public db::PgRecordsBase<Records> {
 public:
  explicit PgRecords(pqxx::transaction_base& tx) : PgRecordsBase(tx) {}

  absl::Status InsertInstitution(const std::string& code,
                                 const v1::Institution& institution) override;
  absl::StatusOr<v1::Institution> GetInstitution(const std::string& code, Lock lock) override;
  absl::StatusOr<Page<v1::Institution>> ListInstitutions(v1::InstitutionKind kind,
                                                         const std::string& after,
                                                         int limit) override;
  absl::StatusOr<v1::Institution> UpdateInstitution(const std::string& code,
                                                    const v1::Institution& institution) override;

  absl::Status InsertTerm(const std::string& id, const v1::Term& term) override;
  absl::StatusOr<v1::Term> GetTerm(const std::string& id, Lock lock) override;
  absl::StatusOr<Page<v1::Term>> ListTerms(int year, const std::string& before, int limit) override;
  absl::StatusOr<v1::Term> UpdateTerm(const std::string& id, const v1::Term& term) override;
  absl::StatusOr<std::string> CurrentTermId(int64_t now_unix) override;

  absl::Status InsertCourse(const std::string& id, const v1::Course& course) override;
  absl::StatusOr<v1::Course> GetCourse(const std::string& id, Lock lock) override;
  absl::StatusOr<Page<v1::Course>> ListCourses(const std::string& host_code,
                                               v1::RecognitionState state, const std::string& after,
                                               int limit) override;
  absl::StatusOr<v1::Course> UpdateCourse(const std::string& id, const v1::Course& course) override;
  absl::Status InsertProgramme(const std::string& id, const v1::Programme& programme) override;
  absl::StatusOr<v1::Programme> GetProgramme(const std::string& id, Lock lock) override;
  absl::StatusOr<Page<v1::Programme>> ListProgrammes(int year, const std::string& after,
                                                     int limit) override;
  absl::StatusOr<v1::Programme> UpdateProgramme(const std::string& id,
                                                const v1::Programme& programme) override;
  absl::Status InsertSection(const std::string& id, const std::string& term_id,
                             const std::string& course_id, const std::string& host_code,
                             const v1::Section& section) override;
  absl::StatusOr<v1::Section> GetSection(const std::string& id, Lock lock) override;
  absl::StatusOr<Page<v1::Section>> ListSections(const SectionFilter& filter,
                                                 const std::string& after, int limit) override;
  absl::StatusOr<std::vector<v1::Section>> LiveSectionsOfCourse(
      const std::string& course_id) override;
  absl::StatusOr<std::vector<std::pair<v1::Section, int>>> LiveSectionsOfTerm(
      const std::string& term_id) override;
  absl::StatusOr<v1::Section> UpdateSection(const std::string& id,
                                            const v1::Section& section) override;

  // Counted by triggers (migrations 002_listing_version.sql and
  // 003_programmes.sql); read in REPEATABLE READ.
  absl::StatusOr<std::string> ListingVersion() override;
  absl::StatusOr<PublicListingData> ReadPublicListing() override;
};

// The catalog's store in PostgreSQL.
using PgStore = db::PgUnitOfWork<Records, PgRecords>;

}  // namespace osan::catalog::store

#endif  // OSAN_SERVICES_CATALOG_STORE_CATALOG_STORE_H_
