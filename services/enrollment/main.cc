// enrollment-server: students, applications, allocation, seats, the feed.
#include "services/enrollment/api/enrollment_service.h"

int main(int argc, char** argv) {
  return osan::ServiceMain(argc, argv, osan::enrollment::EnrollmentDefinition());
}
