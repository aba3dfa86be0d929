// Unit tests of the listing page's domain and site (services/listing): the
// query's checks, filters, sorting and paging, labels, and the HTTP
// behaviour of Site without a network.
#include "services/listing/domain/listing.h"

#include <zlib.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/catalog/vocabulary/labels.h"
#include "services/listing/web/pages.h"
#include "services/listing/web/site.h"

namespace osan::listing {
namespace {

namespace cv1 = catalog::v1;
using ::testing::HasSubstr;
using ::testing::Not;

using Params = std::vector<std::pair<std::string, std::string>>;

cv1::PublicSection MakeSection(const std::string& id, const std::string& title, cv1::Weekday day,
                               const std::string& host, const std::string& area, int capacity,
                               int credits = 2) {
  cv1::PublicSection section;
  section.set_name("terms/2027-1/sections/" + id);
  section.set_term("terms/2027-1");
  section.set_title(title);
  section.set_description(title + " 설명 Python");
  section.set_category(cv1::CAREER_ELECTIVE);
  section.set_credits(credits);
  section.set_delivery_mode(cv1::IN_PERSON);
  section.set_host("institutions/" + host);
  section.set_host_display_name(host == "OSAN-AICODING" ? "AI코딩에듀랩" : "매홀고등학교");
  section.set_host_area(area);
  section.set_capacity(capacity);
  section.set_allocation_policy(cv1::FIRST_COME);
  section.set_programme("programmes/2027-osan-credit");
  section.set_programme_display_name("오산형 고교학점제");
  section.set_funder_display_name("오산시");
  cv1::WeeklyMeeting* meeting = section.add_weekly_meetings();
  meeting->set_weekday(day);
  meeting->mutable_start_time()->set_hours(18);
  meeting->mutable_end_time()->set_hours(19);
  meeting->mutable_end_time()->set_minutes(40);
  return section;
}

enrollment::v1::SeatCount Count(const std::string& id, int capacity, int enrolled) {
  enrollment::v1::SeatCount count;
  count.set_section("terms/2027-1/sections/" + id);
  count.set_capacity(capacity);
  count.set_enrolled(enrolled);
  return count;
}

Listing Demo() {
  return Listing("terms/2027-1", "v1",
                 {MakeSection("s2", "인공지능 기초", cv1::TUESDAY, "OSAN-AICODING", "세교", 20),
                  MakeSection("s1", "고급 수학", cv1::MONDAY, "J10-7531001", "중앙", 10, 3),
                  MakeSection("s3", "데이터 과학", cv1::TUESDAY, "J10-7531001", "중앙", 15)},
                 {Count("s2", 20, 20), Count("s1", 10, 4)}, "seats1");
}

TEST(ListingTest, OrdersByTitleAndCountsSeatsLeft) {
  const Listing listing = Demo();
  ASSERT_EQ(listing.entries().size(), 3u);
  EXPECT_EQ(listing.entries()[0].section.title(), "고급 수학");
  EXPECT_EQ(listing.entries()[0].seats_left, 6);
  EXPECT_EQ(listing.Find("s2")->seats_left, 0) << "full";
  EXPECT_EQ(listing.Find("s3")->seats_left, 15) << "no applications yet: the capacity";
  EXPECT_EQ(listing.Find("nope"), nullptr);
  EXPECT_THAT(listing.areas(), ::testing::ElementsAre("세교", "중앙"));
  EXPECT_EQ(listing.version(), "v1/seats1");
}

TEST(ParseQueryTest, AcceptsEveryFilterByItsLabel) {
  const Listing listing = Demo();
  const absl::StatusOr<Query> query = ParseQuery({{"q", " 인공지능 "},
                                                  {"day", "화"},
                                                  {"category", "진로선택"},
                                                  {"area", "세교"},
                                                  {"host", "OSAN-AICODING"},
                                                  {"mode", "대면"},
                                                  {"sort", "seats"},
                                                  {"page", "2"}},
                                                 listing);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->keyword, "인공지능");
  EXPECT_EQ(query->day, cv1::TUESDAY);
  EXPECT_EQ(query->category, cv1::CAREER_ELECTIVE);
  EXPECT_EQ(query->area, "세교");
  EXPECT_EQ(query->host, "OSAN-AICODING");
  EXPECT_EQ(query->mode, cv1::IN_PERSON);
  EXPECT_EQ(query->sort, SortOrder::kSeatsLeft);
  EXPECT_EQ(query->page, 2);
}

TEST(ParseQueryTest, EmptyValuesMeanNoFilter) {
  const absl::StatusOr<Query> query =
      ParseQuery({{"q", ""}, {"day", ""}, {"category", ""}, {"page", ""}}, Demo());
  ASSERT_TRUE(query.ok());
  EXPECT_FALSE(query->day.has_value());
  EXPECT_FALSE(query->category.has_value());
  EXPECT_EQ(query->page, 1);
}

TEST(ParseQueryTest, EveryProblemIsAMessageNamingTheParameter) {
  const Listing listing = Demo();
  const std::vector<std::pair<Params, std::string>> cases = {
      {{{"colour", "red"}}, "알 수 없는 검색 조건 'colour'"},
      {{{"day", "월"}, {"day", "화"}}, "'day'이(가) 두 번"},
      {{{"day", "Monday"}}, "요일 'Monday'"},
      {{{"category", "학교 밖"}}, "구분 '학교 밖'"},
      {{{"mode", "우편"}}, "수업 방식 '우편'"},
      {{{"area", "서울"}}, "지역 '서울'"},
      {{{"host", "J10-9999999"}}, "개설 기관 'J10-9999999'"},
      {{{"sort", "random"}}, "정렬 'random'"},
      {{{"page", "0"}}, "쪽 번호 '0'"},
      {{{"page", "-1"}}, "쪽 번호 '-1'"},
      {{{"page", "99999999999"}}, "쪽 번호"},
      {{{"q", std::string(51, 'a')}}, "50자까지"},
      {{{"q", "\xff\xfe"}}, "UTF-8"},
  };
  for (const auto& [params, expected] : cases) {
    const absl::StatusOr<Query> query = ParseQuery(params, listing);
    ASSERT_FALSE(query.ok()) << expected;
    EXPECT_EQ(query.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(query.status().message()), HasSubstr(expected));
  }
  Params many;
  for (int i = 0; i <= kMaxParameters; ++i) {
    many.emplace_back("q", "x");
  }
  EXPECT_THAT(std::string(ParseQuery(many, listing).status().message()),
              HasSubstr("너무 많습니다"));
  EXPECT_TRUE(ParseQuery({{"q", std::string(50, 'a')}}, listing).ok()) << "50 is allowed";
}

TEST(SelectTest, FiltersCombineAndKeywordsIgnoreAsciiCase) {
  const Listing listing = Demo();
  Query query;
  query.day = cv1::TUESDAY;
  Selection selection = Select(listing, query);
  ASSERT_EQ(selection.matches, 2);
  EXPECT_EQ(selection.rows[0]->id, "s3");  // 데이터 과학 before 인공지능 기초
  query.host = "J10-7531001";
  EXPECT_EQ(Select(listing, query).matches, 1);
  query = Query{};
  query.keyword = "python";
  EXPECT_EQ(Select(listing, query).matches, 3);
  query.keyword = "인공지능";
  EXPECT_EQ(Select(listing, query).matches, 1);
  query.area = "중앙";
  EXPECT_EQ(Select(listing, query).matches, 0);
  EXPECT_EQ(Select(listing, query).pages, 1);
}

TEST(SelectTest, SortsAndPagesFiftyRows) {
  std::vector<cv1::PublicSection> sections;
  for (int i = 0; i < 120; ++i) {
    sections.push_back(MakeSection("s" + std::to_string(i), "과목 " + std::to_string(1000 + i),
                                   cv1::FRIDAY, "J10-7531001", "중앙", i));
  }
  const Listing listing("terms/2027-1", "v", std::move(sections), {}, "");
  Query query;
  query.page = 3;
  Selection selection = Select(listing, query);
  EXPECT_EQ(selection.matches, 120);
  EXPECT_EQ(selection.pages, 3);
  ASSERT_EQ(selection.rows.size(), 20u);
  EXPECT_EQ(selection.rows.front()->section.title(), "과목 1100");
  query.page = 9;
  EXPECT_EQ(Select(listing, query).page, 3) << "past the end: the last page";
  query = Query{};
  query.sort = SortOrder::kSeatsLeft;
  EXPECT_EQ(Select(listing, query).rows.front()->seats_left, 119);
}

TEST(CanonicalParametersTest, FixedOrderEscapedDefaultsLeftOut) {
  Query query;
  EXPECT_EQ(CanonicalParameters(query), "");
  query.mode = cv1::IN_PERSON;
  query.keyword = "AI 코딩";
  query.day = cv1::MONDAY;
  query.sort = SortOrder::kCredits;
  query.page = 4;
  EXPECT_EQ(CanonicalParameters(query),
            "q=AI%20%EC%BD%94%EB%94%A9&day=%EC%9B%94&mode=%EB%8C%80%EB%A9%B4&sort=credits");
}

TEST(LabelsTest, MeetingsPoliciesGradesAndTerms) {
  cv1::DatedMeeting dated;
  dated.mutable_date()->set_year(2027);
  dated.mutable_date()->set_month(4);
  dated.mutable_date()->set_day(3);
  dated.mutable_start_time()->set_hours(9);
  dated.mutable_end_time()->set_hours(12);
  EXPECT_EQ(catalog::MeetingLabel(dated), "2027-04-03(토) 09:00–12:00");
  EXPECT_EQ(catalog::MeetingLabel(Demo().Find("s2")->section.weekly_meetings(0)), "화 18:00–19:40");
  EXPECT_EQ(catalog::PolicyLabel(cv1::HOST_SCREENING), "기관 선발");
  google::protobuf::RepeatedField<int32_t> grades;
  EXPECT_EQ(GradesLabel(grades), "전 학년");
  grades.Add(2);
  grades.Add(3);
  EXPECT_EQ(GradesLabel(grades), "2학년, 3학년");
  EXPECT_EQ(TermLabel("terms/2027-1"), "2027학년도 1학기");
  EXPECT_EQ(Demo().Find("s1")->days.count(cv1::MONDAY), 1u);
}

TEST(DecodeQueryTest, PercentAndPlusDecodedMalformedRefused) {
  const auto params = DecodeQuery("q=%EC%9D%B8%EA%B3%B5+AI&day=&&page=2");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(*params, (Params{{"q", "인공 AI"}, {"day", ""}, {"page", "2"}}));
  EXPECT_FALSE(DecodeQuery("q=%E").has_value());
  EXPECT_FALSE(DecodeQuery("q=%ZZ").has_value());
}

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

std::string Header(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class SiteTest : public ::testing::Test {
 protected:
  HttpResponse Get(const std::string& target, bool gzip = false, const std::string& etag = "") {
    return site_.Handle({"GET", target, gzip, etag});
  }
  std::shared_ptr<const Listing> listing_ = std::make_shared<const Listing>(Demo());
  Site site_{Pages(), [this] { return listing_; }};
};

TEST_F(SiteTest, IndexListsTheTermInKoreanWithCachingHeaders) {
  const HttpResponse response = Get("/");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Header(response, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Header(response, "Cache-Control"), "public, max-age=10");
  EXPECT_THAT(*response.body, HasSubstr("<html lang=\"ko\">"));
  EXPECT_THAT(*response.body, HasSubstr("2027학년도 1학기"));
  EXPECT_THAT(*response.body, HasSubstr("<a href=\"/sections/s2\">인공지능 기초</a>"));
  EXPECT_THAT(*response.body, HasSubstr("0 (마감)"));
  EXPECT_THAT(*response.body, HasSubstr("<label for=\"q\">"));
  const std::string etag = Header(response, "ETag");
  EXPECT_THAT(etag, ::testing::StartsWith("W/\""));
  EXPECT_EQ(Get("/", false, etag).status, 304);
  EXPECT_EQ(Get("/", false, etag).body, nullptr);
}

TEST_F(SiteTest, GzipBodyIsTheSamePage) {
  const HttpResponse plain = Get("/?day=%ED%99%94");
  const HttpResponse zipped = Get("/?day=%ED%99%94", true);
  EXPECT_EQ(Header(zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(Header(plain, "Content-Encoding"), "");
  EXPECT_EQ(Gunzip(*zipped.body), *plain.body);
  EXPECT_LT(zipped.body->size(), plain.body->size());
  EXPECT_EQ(Header(plain, "Vary"), "Accept-Encoding");
}

TEST_F(SiteTest, RepeatedPageIsServedFromTheCacheUntilTheListingChanges) {
  const HttpResponse first = Get("/?q=%EC%88%98%ED%95%99");
  const HttpResponse again = Get("/?q=%EC%88%98%ED%95%99");
  EXPECT_EQ(first.body.get(), again.body.get()) << "the same rendered body";
  listing_ = std::make_shared<const Listing>(
      "terms/2027-1", "v2",
      std::vector<cv1::PublicSection>{
          MakeSection("s1", "고급 수학 II", cv1::MONDAY, "J10-7531001", "중앙", 10)},
      std::vector<enrollment::v1::SeatCount>{}, "");
  const HttpResponse changed = Get("/?q=%EC%88%98%ED%95%99");
  EXPECT_THAT(*changed.body, HasSubstr("고급 수학 II"));
  EXPECT_NE(Header(changed, "ETag"), Header(first, "ETag"));
}

TEST_F(SiteTest, BadQueriesGetTheFormWithTheProblemAnd400) {
  for (const std::string target :
       {"/?day=%EC%9D%BC%EC%9A%94%EC%9D%BC", "/?colour=red", "/?q=%E", "/?page=abc"}) {
    const HttpResponse response = Get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
    EXPECT_THAT(*response.body, HasSubstr("role=\"alert\"")) << target;
    EXPECT_THAT(*response.body, HasSubstr("<form")) << target;
  }
}

TEST_F(SiteTest, SectionPageAndUnknownPaths) {
  const HttpResponse section = Get("/sections/s1");
  EXPECT_EQ(section.status, 200);
  EXPECT_THAT(*section.body, HasSubstr("<h1>고급 수학</h1>"));
  EXPECT_THAT(*section.body, HasSubstr("재학 중인 학교"));
  EXPECT_THAT(*section.body, HasSubstr("6석"));
  EXPECT_THAT(*section.body,
              HasSubstr("<dt>지원 사업</dt><dd>오산형 고교학점제 (오산시 지원)</dd>"));
  for (const std::string& target :
       std::vector<std::string>{"/sections/none", "/sections/../../etc/passwd", "/admin",
                                "/sections/" + std::string(100, 'a')}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
  EXPECT_EQ(site_.Handle({"POST", "/", false, ""}).status, 405);
}

TEST_F(SiteTest, EscapesWhatTheCatalogSays) {
  listing_ = std::make_shared<const Listing>(
      "terms/2027-1", "v3",
      std::vector<cv1::PublicSection>{
          MakeSection("x", "<script>alert(1)</script>", cv1::MONDAY, "J10-7531001", "중앙", 1)},
      std::vector<enrollment::v1::SeatCount>{}, "");
  const HttpResponse response = Get("/");
  EXPECT_THAT(*response.body, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(*response.body, HasSubstr("&lt;script&gt;"));
}

TEST(SiteWithoutListingTest, HealthAndPagesSay503UntilLoaded) {
  Site site(Pages(), [] { return std::shared_ptr<const Listing>(); });
  EXPECT_EQ(site.Handle({"GET", "/healthz", false, ""}).status, 503);
  const HttpResponse page = site.Handle({"GET", "/", false, ""});
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(Header(page, "Retry-After"), "5");
}

}  // namespace
}  // namespace osan::listing
