// Unit tests of the placement rule (services/enrollment/domain/placement.h).
#include "services/enrollment/domain/placement.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace osan::enrollment {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kHost[] = "J10-7531003";
constexpr char kGuest[] = "J10-7531001";
constexpr char kOther[] = "J10-7531002";

catalog::v1::Section HostedSection(int host_share_percent, int per_school_cap = 0) {
  catalog::v1::Section section;
  section.set_host(std::string("institutions/") + kHost);
  section.set_host_share_cap_percent(host_share_percent);
  section.set_per_school_cap(per_school_cap);
  return section;
}

TEST(MaxHostStudentsTest, LargestShareWithinThePercent) {
  EXPECT_EQ(MaxHostStudents(65, 0), 0) << "no class of host students alone";
  EXPECT_EQ(MaxHostStudents(65, 7), 13);  // 13 of 20 = 65%
  EXPECT_EQ(MaxHostStudents(65, 6), 11);  // 11 of 17 = 64.7%; 12 of 18 = 66.7%
  EXPECT_EQ(MaxHostStudents(50, 3), 3);
  EXPECT_EQ(MaxHostStudents(1, 99), 1);
  EXPECT_EQ(MaxHostStudents(1, 98), 0);
  EXPECT_EQ(MaxHostStudents(100, 0), std::numeric_limits<int>::max());
  EXPECT_EQ(MaxHostStudents(99, std::numeric_limits<int>::max()), std::numeric_limits<int>::max())
      << "no overflow";
}

TEST(SeatBlockedTest, PerSchoolCapThenHostShareThenFull) {
  catalog::v1::Section section = HostedSection(50, 2);
  SeatedClass seated{4, 2, {{kGuest, 2}}};
  EXPECT_EQ(SeatBlocked(section, seated, kGuest), "per-school cap of 2 reached");
  EXPECT_EQ(SeatBlocked(section, seated, kOther), "");
  EXPECT_EQ(SeatBlocked(section, seated, kHost), "") << "1 of 3 is within 50%";
  seated.Seat(kHost);
  seated.Seat(kHost);
  EXPECT_EQ(seated.enrolled, 4);
  EXPECT_EQ(SeatBlocked(section, seated, kOther), "section full (capacity 4)");
  EXPECT_EQ(SeatBlocked(section, seated, kHost), "per-school cap of 2 reached");
}

TEST(SeatBlockedTest, HostShareCountsTheEnrolledClass) {
  catalog::v1::Section section = HostedSection(65);
  SeatedClass seated{20, 0, {}};
  EXPECT_EQ(SeatBlocked(section, seated, kHost),
            "host share cap: the host's own students may be at most 65% of the class (0 of 0 "
            "enrolled)");
  seated.Seat(kGuest);
  EXPECT_EQ(SeatBlocked(section, seated, kHost), "") << "1 of 2 = 50%";
  seated.Seat(kHost);
  EXPECT_EQ(SeatBlocked(section, seated, kHost),
            "host share cap: the host's own students may be at most 65% of the class (1 of 2 "
            "enrolled)")
      << "2 of 3 = 66.7%";
  EXPECT_EQ(SeatBlocked(section, seated, kGuest), "") << "only the host's students";
}

TEST(SeatBlockedTest, FullShareAllowsAHostOnlyClass) {
  catalog::v1::Section section = HostedSection(100);
  SeatedClass seated{std::numeric_limits<int32_t>::max(), 1000, {{kHost, 1000}}};
  EXPECT_EQ(SeatBlocked(section, seated, kHost), "");
}

TEST(PlaceFirstComeTest, SeatLimitThenCapsThenSeat) {
  catalog::v1::Section section = HostedSection(50);
  SeatedClass seated{2, 0, {}};
  Placement placement = PlaceFirstCome(section, seated, kGuest, 1, 1);
  EXPECT_EQ(placement.state, v1::NOT_PLACED);
  EXPECT_EQ(placement.reason, "the student already holds 1 seat(s) this term, the limit");
  placement = PlaceFirstCome(section, seated, kHost, 0, 1);
  EXPECT_EQ(placement.state, v1::WAITLISTED);
  EXPECT_THAT(placement.reason, ::testing::StartsWith("first come: host share cap: "));
  placement = PlaceFirstCome(section, seated, kGuest, 0, 1);
  EXPECT_EQ(placement.state, v1::ENROLLED);
  EXPECT_EQ(placement.reason, "first come: seat 1 of 2");
  placement = PlaceFirstCome(section, seated, kHost, 0, 1);
  EXPECT_EQ(placement.state, v1::ENROLLED);
  EXPECT_EQ(placement.reason, "first come: seat 2 of 2");
  placement = PlaceFirstCome(section, seated, kOther, 0, 1);
  EXPECT_EQ(placement.state, v1::WAITLISTED);
  EXPECT_EQ(placement.reason, "first come: section full (capacity 2)");
  EXPECT_EQ(seated.enrolled, 2);
  EXPECT_EQ(seated.by_school[kHost], 1);
}

TEST(PromoteTest, FreedSeatGoesToTheFirstWhomNoRuleBlocks) {
  catalog::v1::Section section = HostedSection(100, 1);
  SeatedClass seated{3, 2, {{kGuest, 1}, {kOther, 1}}};
  const std::vector<WaitingStudent> waitlist = {{kGuest, 0}, {kHost, 1}, {kHost, 0}, {kHost, 0}};
  // kGuest is at its per-school cap, the first host student at the seat limit of 1.
  EXPECT_THAT(Promote(section, seated, waitlist, 1), ElementsAre(2));
  EXPECT_EQ(seated.enrolled, 3);
  EXPECT_THAT(Promote(section, seated, waitlist, 1), IsEmpty()) << "no seat left";
}

TEST(PromoteTest, AGuestSeatedLetsAnEarlierHostStudentIn) {
  catalog::v1::Section section = HostedSection(50);
  SeatedClass seated{10, 2, {{kHost, 1}, {kGuest, 1}}};
  // The host student waits (2 of 3 would be 67%) until the guest behind is seated.
  const std::vector<WaitingStudent> waitlist = {{kHost, 0}, {kOther, 0}, {kHost, 0}};
  EXPECT_THAT(Promote(section, seated, waitlist, 1), ElementsAre(0, 1));
  EXPECT_EQ(seated.by_school[kHost], 2);
  EXPECT_EQ(seated.enrolled, 4);
}

TEST(PromoteTest, EmptyWaitlistSeatsNobody) {
  catalog::v1::Section section = HostedSection(65);
  SeatedClass seated{5, 0, {}};
  EXPECT_THAT(Promote(section, seated, {}, 1), IsEmpty());
  EXPECT_EQ(seated.enrolled, 0);
}

}  // namespace
}  // namespace osan::enrollment
