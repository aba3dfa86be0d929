// enrollment-server: students, applications, allocation, seats, the feed.
#include "absl/flags/flag.h"
#include "services/enrollment/api/enrollment_service.h"

ABSL_FLAG(int, max_applications_per_term, 6, "live applications a student may have in a term");
ABSL_FLAG(int, max_credits_per_term, 24, "credits of a student's live applications in a term");
ABSL_FLAG(int, max_enrollments_per_term, 2, "seats a student may hold in a term");
ABSL_FLAG(int, max_seat_batch, 256, "largest coalesced seat batch (1: a transaction per claim)");
ABSL_FLAG(int, seat_counts_cache_ms, 2000, "how long public seat counts of a term are reused");

int main(int argc, char** argv) {
  // The definition is built lazily so that it sees the parsed flags.
  osan::ServiceDefinition definition = osan::enrollment::EnrollmentDefinition();
  definition.make_parts = [](const osan::ServiceConfig& config, osan::db::Pool* pool,
                             osan::server::Dispatcher* dispatcher, osan::PageTokens page_tokens) {
    osan::enrollment::EnrollmentOptions options;
    options.limits.max_applications_per_term = absl::GetFlag(FLAGS_max_applications_per_term);
    options.limits.max_credits_per_term = absl::GetFlag(FLAGS_max_credits_per_term);
    options.limits.max_enrollments_per_term = absl::GetFlag(FLAGS_max_enrollments_per_term);
    options.max_seat_batch = std::max(1, absl::GetFlag(FLAGS_max_seat_batch));
    options.seat_counts_ttl =
        absl::Milliseconds(std::max(0, absl::GetFlag(FLAGS_seat_counts_cache_ms)));
    return osan::enrollment::EnrollmentDefinition(options).make_parts(config, pool, dispatcher,
                                                                      std::move(page_tokens));
  };
  return osan::ServiceMain(argc, argv, definition);
}
