// The in-memory twin of the catalog's store (records.h): the same reads and
// writes, in the same orders and with the same page positions, on maps, for
// unit tests of the use cases. Versions count writes as the rows' do; times
// come from a logical clock, one second per write. The SQL itself is tested
// against PostgreSQL by the integration tests.
#ifndef OSAN_SERVICES_CATALOG_STORE_MEMORY_RECORDS_H_
#define OSAN_SERVICES_CATALOG_STORE_MEMORY_RECORDS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/request_log.h"
#include "common/unit_of_work.h"
#include "services/catalog/store/records.h"

namespace osan::catalog::store {

class MemoryRecords final : public db::MemoryRecordsBase<Records> {
 public:
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

  absl::StatusOr<std::string> ListingVersion() override;
  absl::StatusOr<PublicListingData> ReadPublicListing() override;

 private:
  // A stored resource and its bookkeeping.
  template <class Resource>
  struct Row {
    Resource doc;  // without etag and times
    int version = 1;
    int64_t created = 0;  // logical seconds
    int64_t updated = 0;
  };
  struct SectionRow {
    Row<v1::Section> row;
    std::string term_id;
    std::string course_id;
    std::string host_code;
  };

  // The next time of the logical clock; bumps the listing's version.
  int64_t Write();
  template <class Resource>
  Row<Resource> NewRow(const Resource& resource);
  template <class Resource>
  static Resource Read(const Row<Resource>& row);
  static v1::Section Read(const SectionRow& section) { return Read(section.row); }
  // A page of what `map` stores after key `after`, in key order, that
  // `keep` selects: the store's keyset reads.
  template <class Resource, class Stored, class Keep>
  static absl::StatusOr<Page<Resource>> PageAfter(const std::map<std::string, Stored>& map,
                                                  const std::string& after, int limit,
                                                  const Keep& keep);
  template <class Resource>
  Resource Replace(Row<Resource>& row, const Resource& resource);
  // The programme funding a section (FundingProgramme), if any.
  std::string FundingOf(const SectionRow& section) const;

  std::map<std::string, Row<v1::Institution>> institutions_;  // by code
  std::map<std::string, Row<v1::Term>> terms_;                // by id
  std::map<std::string, Row<v1::Course>> courses_;            // by id
  std::map<std::string, Row<v1::Programme>> programmes_;      // by id
  std::map<std::string, SectionRow> sections_;                // by id
  int64_t writes_ = 0;
};

using MemoryStore = MemoryUnitOfWork<Records, MemoryRecords>;

}  // namespace osan::catalog::store

#endif  // OSAN_SERVICES_CATALOG_STORE_MEMORY_RECORDS_H_
