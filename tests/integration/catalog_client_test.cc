// CatalogClient, other services' view of the catalog, against a real
// catalog server: what it remembers, and what it never does.
#include "services/catalog/client/catalog_client.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/support/exchange_fixture.h"

namespace osan::testing {
namespace {

namespace cv1 = catalog::v1;
using catalog::CatalogClient;

constexpr char kUnknownSection[] = "terms/2026-1/sections/00000000-0000-4000-8000-000000000000";

CatalogClient ClientOf(Exchange& exchange, absl::Duration negative_ttl) {
  return CatalogClient(exchange.catalog_service().channel(),
                       TestKeys::Get().service_signer("SVC-ENROLLMENT"), "SVC-ENROLLMENT",
                       /*ttl=*/absl::Hours(1), /*timeout=*/absl::Seconds(2), negative_ttl);
}

absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

TEST(CatalogClientTest, UnknownNamesAreRememberedForTheNegativeTtlOnly) {
  Exchange exchange;
  exchange.CreateBasics();
  const cv1::Section known =
      exchange.CreateSection(kAcademy, "제과제빵", cv1::FIRST_COME, 10, cv1::FRIDAY, 16);
  CatalogClient remembers = ClientOf(exchange, absl::Hours(1));
  CatalogClient forgets = ClientOf(exchange, absl::ZeroDuration());
  for (CatalogClient* client : {&remembers, &forgets}) {
    EXPECT_EQ(client->GetSection(kUnknownSection, Deadline()).status().code(),
              absl::StatusCode::kNotFound);
    ASSERT_TRUE(client->GetSection(known.name(), Deadline()).ok());
  }

  // With the catalog gone, only what was remembered can still be answered.
  exchange.catalog_service().Shutdown();
  EXPECT_EQ(remembers.GetSection(kUnknownSection, Deadline()).status().code(),
            absl::StatusCode::kNotFound)
      << "the negative answer comes from the cache";
  EXPECT_EQ(forgets.GetSection(kUnknownSection, Deadline()).status().code(),
            absl::StatusCode::kUnavailable)
      << "a zero negative TTL asks the catalog again";
  EXPECT_TRUE(remembers.GetSection(known.name(), Deadline()).ok());
  EXPECT_EQ(remembers.GetSection(known.name(), Deadline(), CatalogClient::Freshness::kFresh)
                .status()
                .code(),
            absl::StatusCode::kUnavailable)
      << "a fresh read asks the catalog";
  const std::string other = "terms/2026-1/sections/00000000-0000-4000-8000-000000000001";
  EXPECT_EQ(remembers.GetSection(other, Deadline()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(remembers.GetSection(other, Deadline()).status().code(), absl::StatusCode::kUnavailable)
      << "an unreachable catalog is not remembered as NOT_FOUND";
}

TEST(CatalogClientTest, InstitutionsAlreadyKnownOutliveAnOutageButNotTheirWindow) {
  Exchange exchange;
  exchange.CreateBasics();
  const std::string school = absl::StrCat("institutions/", kSchoolA);
  // Nothing is fresh for long (zero TTL): every lookup asks the catalog.
  CatalogClient remembers(exchange.catalog_service().channel(),
                          TestKeys::Get().service_signer("SVC-ENROLLMENT"), "SVC-ENROLLMENT",
                          absl::ZeroDuration(), absl::Seconds(2), absl::ZeroDuration(),
                          /*stale_for=*/absl::Hours(1));
  CatalogClient forgets(exchange.catalog_service().channel(),
                        TestKeys::Get().service_signer("SVC-ENROLLMENT"), "SVC-ENROLLMENT",
                        absl::ZeroDuration(), absl::Seconds(2), absl::ZeroDuration(),
                        /*stale_for=*/absl::ZeroDuration());
  ASSERT_TRUE(remembers.GetInstitution(school, Deadline()).ok());
  ASSERT_TRUE(forgets.GetInstitution(school, Deadline()).ok());
  exchange.catalog_service().Shutdown();
  const auto kept = remembers.GetInstitution(school, Deadline());
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->kind(), cv1::HIGH_SCHOOL);
  EXPECT_EQ(forgets.GetInstitution(school, Deadline()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(remembers.GetInstitution("institutions/J10-7531009", Deadline()).status().code(),
            absl::StatusCode::kUnavailable)
      << "an institution never seen is not admitted during an outage";
}

}  // namespace
}  // namespace osan::testing
