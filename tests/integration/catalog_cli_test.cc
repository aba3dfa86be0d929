// osanctl's catalog commands as a host and the education office run them:
// the osanctl binary against a real catalog server on port 0 (and a real
// database). An academy's section waits for recognition, a section that
// cannot hold its sessions is refused with the shortfall, and a change of
// credits sends the course back to review. The demo's programmes go in
// through `osanctl programmes`.
#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "demo/demo.pb.h"
#include "osan/catalog/v1/catalog.grpc.pb.h"
#include "services/catalog/api/catalog_service.h"
#include "services/catalog/domain/rules.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_env.h"

namespace osan::catalog {
namespace {

using testing::CliRun;
using testing::ContextWithToken;
using ::testing::HasSubstr;
using testing::TestKeys;

constexpr char kCity[] = "OSAN-CITY";
constexpr char kEduLab[] = "OSAN-AICODING";
constexpr char kOffice[] = "HSOS-EDU";

class CatalogCliTest : public ::testing::Test {
 protected:
  CatalogCliTest()
      : service_(CatalogDefinition()),
        catalog_(v1::CatalogService::NewStub(service_.channel())),
        city_(TestKeys::Get().Token(kCity, auth::v1::CITY)),
        edulab_(TestKeys::Get().Token(kEduLab, auth::v1::ACADEMY)),
        office_(TestKeys::Get().Token(kOffice, auth::v1::EDU_OFFICE)) {
    v1::CreateInstitutionRequest academy;
    academy.mutable_institution()->set_kind(v1::CITY_ACADEMY);
    academy.mutable_institution()->set_display_name("AI코딩에듀랩");
    academy.mutable_institution()->set_host_code(kEduLab);
    academy.set_request_id("institution-edulab");
    v1::Institution institution;
    auto context = ContextWithToken(city_);
    EXPECT_TRUE(catalog_->CreateInstitution(context.get(), academy, &institution).ok());

    // 2027-1: classes from Tuesday 2 March to Friday 16 July, 5 May off.
    v1::CreateTermRequest term;
    term.mutable_term()->set_year(2027);
    term.mutable_term()->set_semester(1);
    term.mutable_term()->mutable_application_window()->set_start_unix(1795359600);
    term.mutable_term()->mutable_application_window()->set_end_unix(1802185200);
    const auto set = [](type::v1::Date* date, int month, int day) {
      date->set_year(2027);
      date->set_month(month);
      date->set_day(day);
    };
    set(term.mutable_term()->mutable_classes_start(), 3, 2);
    set(term.mutable_term()->mutable_classes_end(), 7, 16);
    set(term.mutable_term()->mutable_drop_deadline(), 3, 26);
    set(term.mutable_term()->mutable_results_due(), 7, 30);
    set(term.mutable_term()->add_non_teaching_dates(), 5, 5);
    term.set_request_id("term-2027-1");
    v1::Term created;
    context = ContextWithToken(city_);
    const grpc::Status status = catalog_->CreateTerm(context.get(), term, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // Runs osanctl with `args` against the catalog, as `token`.
  CliRun Osanctl(std::vector<std::string> args, const std::string& token) {
    args.push_back(absl::StrCat("--catalog=127.0.0.1:", service_.port()));
    args.push_back(absl::StrCat("--token=", token));
    return testing::RunProgram(OSAN_OSANCTL, args);
  }

  // The resource name `prefix`... that `text` mentions first, or "".
  static std::string NameIn(const std::string& text, const std::string& prefix) {
    const size_t start = text.find(prefix);
    if (start == std::string::npos) {
      return "";
    }
    const size_t end = text.find_first_of(" \n", start);
    return text.substr(start, end - start);
  }

  testing::TestService service_;
  std::unique_ptr<v1::CatalogService::Stub> catalog_;
  const std::string city_, edulab_, office_;
};

TEST_F(CatalogCliTest, AnAcademysSectionWaitsForRecognitionAndForItsHours) {
  const CliRun course = Osanctl(
      {"courses", "create", "--host=institutions/OSAN-AICODING", "--title=머신러닝 입문",
       "--category=CAREER_ELECTIVE", "--area=LIFE_AND_LIBERAL", "--mode=IN_PERSON", "--credits=2"},
      edulab_);
  ASSERT_EQ(course.exit_code, 0) << course.err;
  const std::string course_name = NameIn(course.out, "courses/");
  ASSERT_FALSE(course_name.empty()) << course.out;

  // One 50-minute period on 19 Wednesdays cannot hold 2 credits.
  const std::vector<std::string> section_args = {"sections",
                                                 "create",
                                                 "--term=terms/2027-1",
                                                 absl::StrCat("--course=", course_name),
                                                 "--capacity=15",
                                                 "--policy=FIRST_COME",
                                                 "--location=에듀랩 3실"};
  std::vector<std::string> short_args = section_args;
  short_args.push_back("--weekly=WEDNESDAY@18:00-18:50");
  const CliRun refused = Osanctl(short_args, edulab_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err,
              HasSubstr("INVALID_ARGUMENT: weekly_meetings: 19 periods fit between 2027-03-02 "
                        "and 2027-07-16; 32 needed"));

  std::vector<std::string> enough_args = section_args;
  enough_args.push_back("--weekly=WEDNESDAY@18:00-19:40");
  const CliRun section = Osanctl(enough_args, edulab_);
  ASSERT_EQ(section.exit_code, 0) << section.err;
  EXPECT_THAT(section.out, HasSubstr("32차시"));
  const std::string section_name = NameIn(section.out, "terms/2027-1/sections/");

  const CliRun early = Osanctl({"sections", "move", section_name, "--to=PUBLISHED"}, edulab_);
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("FAILED_PRECONDITION"));

  const CliRun pending = Osanctl({"courses", "list", "--state=PENDING"}, office_);
  ASSERT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_THAT(pending.out, HasSubstr(course_name));

  const CliRun academy_review =
      Osanctl({"courses", "review", course_name, "--decision=APPROVED"}, edulab_);
  EXPECT_EQ(academy_review.exit_code, 1);
  EXPECT_THAT(academy_review.err, HasSubstr("PERMISSION_DENIED"));
  const CliRun review = Osanctl(
      {"courses", "review", course_name, "--decision=APPROVED", "--reason=기준 충족"}, office_);
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("인정"));

  const CliRun published = Osanctl({"sections", "move", section_name, "--to=PUBLISHED"}, edulab_);
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_THAT(published.out, HasSubstr("DRAFT -> PUBLISHED"));

  // Changing the credits sends the course back, the recognised version kept.
  const CliRun changed = Osanctl({"courses", "update", course_name, "--credits=1"}, edulab_);
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_THAT(changed.out, HasSubstr("심사 중"));
  EXPECT_THAT(changed.out, HasSubstr("머신러닝 입문, 2학점"));
  const CliRun open = Osanctl({"sections", "move", section_name, "--to=ENROLLMENT_OPEN"}, edulab_);
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_THAT(open.err, HasSubstr("PENDING"));
}

TEST_F(CatalogCliTest, MalformedMeetingsAreUsageErrors) {
  const CliRun run = Osanctl({"sections", "create", "--term=terms/2027-1",
                              "--course=courses/3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                              "--capacity=15", "--policy=FIRST_COME", "--weekly=TUESDAY 18:00"},
                             edulab_);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--weekly"));
}

// The demo's 2027 annex through `osanctl programmes`: every programme is
// valid and created by the city, and every demo course or section names one
// of them.
TEST_F(CatalogCliTest, TheDemoAnnexFundsEveryDemoCourse) {
  std::ifstream file(OSAN_DEMO_DATA);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  tools::demo::DemoData data;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &data));
  ASSERT_EQ(data.programmes_size(), 4);
  std::set<std::string> programmes;
  for (const auto& demo : data.programmes()) {
    const v1::Programme& programme = demo.programme();
    const CliRun created = Osanctl(
        {"programmes", "create", demo.programme_id(),
         absl::StrCat("--display_name=", programme.display_name()),
         absl::StrCat("--year=", programme.year()), absl::StrCat("--annex=", programme.annex()),
         absl::StrCat("--funder=", v1::Funder_Name(programme.funder())),
         absl::StrCat("--budget=", programme.budget_krw())},
        city_);
    ASSERT_EQ(created.exit_code, 0) << created.err;
    programmes.insert(absl::StrCat("programmes/", demo.programme_id()));
  }
  for (const auto& demo : data.courses()) {
    const std::string funding = demo.sections().empty()
                                    ? demo.course().programme()
                                    : FundingProgramme(demo.sections(0), demo.course());
    EXPECT_EQ(programmes.count(funding), 1u) << demo.course().title() << ": " << funding;
  }
  const CliRun listed = Osanctl({"programmes", "list", "--year=2027"}, edulab_);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("4 programme(s)"));
  EXPECT_THAT(listed.out, HasSubstr("1인 1악기 기타 교실"));
  EXPECT_THAT(listed.out, HasSubstr("480,000,000"));
  const CliRun denied =
      Osanctl({"programmes", "update", "programmes/2027-maker", "--budget=1"}, edulab_);
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("PERMISSION_DENIED"));
}

TEST_F(CatalogCliTest, TheCitySuspendsAndResumesAnInstitution) {
  const CliRun listed = Osanctl({"institutions", "list", "--kind=CITY_ACADEMY"}, city_);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("OSAN-AICODING"));
  EXPECT_THAT(listed.out, HasSubstr("운영"));
  EXPECT_THAT(listed.out, HasSubstr("1 institution(s)"));

  // Only the city and the office may; unknown codes and bad usage say so.
  const CliRun by_academy = Osanctl({"institutions", "suspend", "OSAN-AICODING"}, edulab_);
  EXPECT_EQ(by_academy.exit_code, 1);
  EXPECT_THAT(by_academy.err, HasSubstr("PERMISSION_DENIED"));
  const CliRun unknown = Osanctl({"institutions", "suspend", "OSAN-NOWHERE"}, city_);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  EXPECT_EQ(Osanctl({"institutions", "suspend"}, city_).exit_code, 2);
  EXPECT_EQ(Osanctl({"institutions", "list", "--kind=CASTLE"}, city_).exit_code, 2);

  const CliRun suspended = Osanctl({"institutions", "suspend", "OSAN-AICODING"}, city_);
  ASSERT_EQ(suspended.exit_code, 0) << suspended.err;
  EXPECT_THAT(suspended.out, HasSubstr("OSAN-AICODING (AI코딩에듀랩) suspended"));
  EXPECT_THAT(Osanctl({"institutions", "list"}, office_).out, HasSubstr("정지"));
  v1::GetInstitutionRequest get;
  get.set_name("institutions/OSAN-AICODING");
  v1::Institution institution;
  auto context = ContextWithToken(city_);
  ASSERT_TRUE(catalog_->GetInstitution(context.get(), get, &institution).ok());
  EXPECT_TRUE(institution.suspended());

  const CliRun resumed = Osanctl({"institutions", "resume", "institutions/OSAN-AICODING"}, office_);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("resumed"));
  context = ContextWithToken(city_);
  ASSERT_TRUE(catalog_->GetInstitution(context.get(), get, &institution).ok());
  EXPECT_FALSE(institution.suspended());
}

TEST_F(CatalogCliTest, KeysAndTokensComeFromTheCommandLine) {
  char dir[] = "/tmp/osan-keys-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const CliRun keygen = Osanctl({"keygen", dir, "credit"}, "");
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  struct stat signing {};
  ASSERT_EQ(stat(absl::StrCat(dir, "/credit-signing.pem").c_str(), &signing), 0);
  EXPECT_EQ(signing.st_mode & 0777, 0600u) << "a private key is for its owner only";
  struct stat verify {};
  EXPECT_EQ(stat(absl::StrCat(dir, "/credit-verify.pem").c_str(), &verify), 0);
  EXPECT_EQ(Osanctl({"keygen", dir, "../elsewhere"}, "").exit_code, 1);

  // A 90-second CITY token from the issuer's key is accepted, and says so.
  const std::string key =
      absl::StrCat("--key=", testing::WriteSecretFile(TestKeys::Get().private_key_pem()));
  const CliRun token =
      Osanctl({"token", key, "--institution=OSAN-CITY", "--role=CITY", "--ttl=90s"}, "");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string jwt(absl::StripTrailingAsciiWhitespace(token.out));
  const std::vector<std::string> parts = absl::StrSplit(jwt, '.');
  ASSERT_EQ(parts.size(), 3u) << jwt;
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  auth::v1::Claims claims;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(payload, &claims).ok()) << payload;
  EXPECT_EQ(claims.exp() - claims.iat(), 90u);
  v1::ListInstitutionsRequest request;
  v1::ListInstitutionsResponse response;
  auto context = ContextWithToken(jwt);
  EXPECT_TRUE(catalog_->ListInstitutions(context.get(), request, &response).ok());

  // Lifetimes the services would refuse are refused at once.
  const CliRun too_long =
      Osanctl({"token", key, "--institution=OSAN-CITY", "--role=CITY", "--ttl=25h"}, "");
  EXPECT_EQ(too_long.exit_code, 1);
  EXPECT_THAT(too_long.err, HasSubstr("--ttl: the services accept CITY tokens of 1s to 24h"));
  EXPECT_EQ(Osanctl({"token", key, "--institution=SVC-CREDIT", "--role=SERVICE", "--ttl=10m"}, "")
                .exit_code,
            1);
}

}  // namespace
}  // namespace osan::catalog
