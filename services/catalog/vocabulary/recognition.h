// Whether a course counts as recognised, and as which version: the one
// reading of the catalog's Recognition that the catalog itself and every
// reader of its courses (enrollment taking applications, credit-record
// counting credits) share.
#ifndef OSAN_SERVICES_CATALOG_VOCABULARY_RECOGNITION_H_
#define OSAN_SERVICES_CATALOG_VOCABULARY_RECOGNITION_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "osan/catalog/v1/catalog.pb.h"

namespace osan::catalog {

// Whether the course's sections may be listed publicly, published and take
// applications now: the course needs no recognition, or is APPROVED.
bool IsRecognised(const v1::Course& course);

// IsRecognised as a status for `action` ("be published", "take
// applications"): FAILED_PRECONDITION naming the state when it is not.
absl::Status CheckRecognised(const v1::Course& course, absl::string_view action);

// What the education office recognises of the course as it is now: its
// etag, title, category, subject area and credits.
v1::RecognisedVersion VersionOf(const v1::Course& course);

// The course as the credits it earns count it: the course itself (its etag,
// title, category, subject area, credits) when it needs no recognition, else
// the version the education office approved, whatever the state now (a
// change under review does not change what enrolled students earn).
// FAILED_PRECONDITION if it needs recognition and none was ever approved.
absl::StatusOr<v1::RecognisedVersion> RecognisedFacts(const v1::Course& course);

}  // namespace osan::catalog

#endif  // OSAN_SERVICES_CATALOG_VOCABULARY_RECOGNITION_H_
