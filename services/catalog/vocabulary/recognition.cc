#include "services/catalog/vocabulary/recognition.h"

#include "absl/strings/str_cat.h"

namespace osan::catalog {

bool IsRecognised(const v1::Course& course) {
  const auto state = course.recognition().state();
  return state == v1::NOT_REQUIRED || state == v1::APPROVED;
}

absl::Status CheckRecognised(const v1::Course& course, absl::string_view action) {
  if (IsRecognised(course)) {
    return absl::OkStatus();
  }
  const v1::RecognitionState state = course.recognition().state();
  return absl::FailedPreconditionError(
      absl::StrCat("the course is taught outside school and its recognition is ",
                   v1::RecognitionState_Name(state),
                   state == v1::PENDING ? " (awaiting the education office's review)" : "",
                   "; its sections cannot ", action, " until the education office approves it"));
}

v1::RecognisedVersion VersionOf(const v1::Course& course) {
  v1::RecognisedVersion version;
  version.set_course_etag(course.etag());
  version.set_title(course.title());
  version.set_category(course.category());
  version.set_subject_area(course.subject_area());
  version.set_credits(course.credits());
  return version;
}

absl::StatusOr<v1::RecognisedVersion> RecognisedFacts(const v1::Course& course) {
  if (course.recognition().state() == v1::NOT_REQUIRED) {
    return VersionOf(course);
  }
  if (!course.recognition().has_approved()) {
    return absl::FailedPreconditionError(absl::StrCat(
        course.name(),
        " is taught outside school and the education office has not recognised any version of "
        "it (recognition ",
        v1::RecognitionState_Name(course.recognition().state()), "); it earns no credits"));
  }
  return course.recognition().approved();
}

}  // namespace osan::catalog
