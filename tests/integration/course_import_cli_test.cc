// `osanctl courses import` as a user runs it: the osanctl binary against a
// real catalog server on port 0 (and a real database): rows arrive, running
// the same import again creates nothing twice, a bad file or a dry run
// creates nothing, and a row the catalog refuses is reported by its line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"

namespace osan::catalog {
namespace {

using testing::CliRun;
using testing::ContextWithToken;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestKeys;
using ::testing::UnorderedElementsAre;

constexpr char kCity[] = "OSAN-CITY";
constexpr char kEduLab[] = "OSAN-AICODING";

class CourseImportCliTest : public ::testing::Test {
 protected:
  CourseImportCliTest()
      : service_(CatalogDefinition()),
        catalog_(v1::CatalogService::NewStub(service_.channel())),
        city_(TestKeys::Get().Token(kCity, auth::v1::CITY)),
        edulab_(TestKeys::Get().Token(kEduLab, auth::v1::ACADEMY)) {
    char scratch[] = "/tmp/osan-import.XXXXXX";
    dir_ = mkdtemp(scratch);
    v1::CreateInstitutionRequest request;
    request.mutable_institution()->set_kind(v1::CITY_ACADEMY);
    request.mutable_institution()->set_display_name("AI코딩에듀랩");
    request.mutable_institution()->set_host_code(kEduLab);
    request.set_request_id("institution-edulab");
    v1::Institution created;
    auto context = ContextWithToken(city_);
    const grpc::Status status = catalog_->CreateInstitution(context.get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  ~CourseImportCliTest() override { std::system(absl::StrCat("rm -rf ", dir_).c_str()); }

  std::string WriteCsv(const std::string& name, const std::string& content) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Runs osanctl with `args` against the catalog, as `token`.
  CliRun Osanctl(std::vector<std::string> args, const std::string& token) {
    args.push_back(absl::StrCat("--catalog=127.0.0.1:", service_.port()));
    args.push_back(absl::StrCat("--token=", token));
    return testing::RunProgram(OSAN_OSANCTL, args);
  }

  // The titles of the host's courses.
  std::vector<std::string> Titles() {
    v1::ListCoursesRequest request;
    request.set_host(absl::StrCat("institutions/", kEduLab));
    request.set_page_size(200);
    v1::ListCoursesResponse response;
    auto context = ContextWithToken(city_);
    const grpc::Status status = catalog_->ListCourses(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> titles;
    for (const v1::Course& course : response.courses()) {
      titles.push_back(course.title());
    }
    return titles;
  }

  testing::TestService service_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  std::string city_;
  std::string edulab_;
  std::string dir_;
};

constexpr char kCourses[] =
    "\xEF\xBB\xBF과목명,구분,교과,학점,수업 방식,과목 소개\r\n"
    "인공지능 기초,진로선택,과학,3,대면,\"파이썬으로 배우는 머신러닝, 1학기\"\r\n"
    "드로잉,교양,예술,,실시간 온라인,\r\n"
    "경제 수학,일반선택,수학,4,혼합,\r\n";

TEST_F(CourseImportCliTest, CreatesEveryRowAndARerunCreatesNothingTwice) {
  const std::string file = WriteCsv("courses.csv", kCourses);
  const CliRun first = Osanctl({"courses", "import", "--file", file, "--host", kEduLab}, edulab_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.err, HasSubstr("3/3 created"));
  EXPECT_THAT(first.out, HasSubstr("3 course(s) created for institutions/OSAN-AICODING"));
  EXPECT_THAT(first.out, HasSubstr("line 2\tcourses/"));
  EXPECT_THAT(Titles(), UnorderedElementsAre("인공지능 기초", "드로잉", "경제 수학"));

  const CliRun again = Osanctl({"courses", "import", "--file", file, "--host", kEduLab}, edulab_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, first.out);  // the same courses, by name
  EXPECT_THAT(Titles(), UnorderedElementsAre("인공지능 기초", "드로잉", "경제 수학"));

  // A grown file creates only its new row.
  const CliRun grown = Osanctl({"courses", "import", "--file",
                                WriteCsv("grown.csv", absl::StrCat(kCourses,
                                                                   "코딩,진로선택,"
                                                                   "생활·교양,2,대면,\r\n")),
                                "--host", kEduLab},
                               edulab_);
  ASSERT_EQ(grown.exit_code, 0) << grown.err;
  EXPECT_THAT(Titles(), UnorderedElementsAre("인공지능 기초", "드로잉", "경제 수학", "코딩"));
}

TEST_F(CourseImportCliTest, ABadFileCreatesNothing) {
  const std::string file = WriteCsv("bad.csv",
                                    "과목명,구분,교과,수업 방식\n"
                                    "물리학 실험,진로선택,과학,대면\n"
                                    "화학 실험,진로,과학,대면\n"
                                    "생명과학,진로선택,과학,방문\n");
  const CliRun run = Osanctl({"courses", "import", "--file", file, "--host", kEduLab}, edulab_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("line 3, column '구분': unknown category '진로'"));
  EXPECT_THAT(run.err, HasSubstr("line 4, column '수업 방식': unknown mode '방문'"));
  EXPECT_THAT(run.err, HasSubstr("nothing is created"));
  EXPECT_TRUE(Titles().empty());
}

TEST_F(CourseImportCliTest, ADryRunSendsNothing) {
  const std::string file = WriteCsv("courses.csv", kCourses);
  const CliRun run =
      Osanctl({"courses", "import", "--file", file, "--host", kEduLab, "--dry-run"}, edulab_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("인공지능 기초"));
  EXPECT_THAT(run.out, HasSubstr("3 course(s) would be created"));
  EXPECT_THAT(run.out, HasSubstr("csv-"));
  EXPECT_TRUE(Titles().empty());
}

TEST_F(CourseImportCliTest, RowsTheCatalogRefusesAreReportedByLine) {
  // An academy may create courses only for itself: the catalog refuses, and
  // the import stops, since every row would be refused alike.
  const std::string file = WriteCsv("courses.csv", kCourses);
  const CliRun run =
      Osanctl({"courses", "import", "--file", file, "--host", "J10-7531001"}, edulab_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("line 2: PERMISSION_DENIED"));
  EXPECT_THAT(run.err, HasSubstr("0 of 3 course(s) created, 1 failed, 2 not sent"));
  EXPECT_THAT(run.err, Not(HasSubstr("line 3:")));
  EXPECT_TRUE(Titles().empty());
}

TEST_F(CourseImportCliTest, EachRowTheCatalogRefusesIsReportedAndTheOthersStillGo) {
  // The city may create courses for any host, but this one does not exist:
  // each row is refused on its own (INVALID_ARGUMENT), and each is reported.
  const std::string file = WriteCsv("courses.csv", kCourses);
  const CliRun run =
      Osanctl({"courses", "import", "--file", file, "--host", "OSAN-NOWHERE"}, city_);
  EXPECT_EQ(run.exit_code, 1);
  for (const int line : {2, 3, 4}) {
    EXPECT_THAT(
        run.err,
        HasSubstr(absl::StrCat(
            "line ", line, ": INVALID_ARGUMENT: host: institutions/OSAN-NOWHERE does not exist")));
  }
  EXPECT_THAT(run.err, HasSubstr("0 of 3 course(s) created, 3 failed;"));
  EXPECT_THAT(run.err, HasSubstr("3/3 sent"));
}

}  // namespace
}  // namespace osan::catalog
