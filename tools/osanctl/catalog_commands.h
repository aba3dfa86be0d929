// osanctl's catalog commands for hosts, the city and the education office:
// courses and their recognition, sections and their lifecycle
// (osan.catalog.v1.CatalogService).
//
// Every command takes the positional arguments after its command words and
// returns the process exit code: 0 on success, 1 when the call fails (printed
// as "osanctl: CODE: message"), 2 when called wrongly (printed with a usage
// line). Each calls the service at --catalog (default $OSAN_CATALOG or
// 127.0.0.1:50051) with the bearer token of --token (default $OSAN_TOKEN);
// changes carry --request_id, or a fresh one if it is not given.
#ifndef OSAN_TOOLS_OSANCTL_CATALOG_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_CATALOG_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "osan/catalog/v1/catalog.grpc.pb.h"

namespace osan::cli {

// --catalog, else $OSAN_CATALOG, else 127.0.0.1:50051.
std::string CatalogAddress();

// A stub of the catalog at CatalogAddress().
std::unique_ptr<catalog::v1::CatalogService::Stub> CatalogStub();

// courses create --host institutions/{code} --title T --category C --area A
// --mode M [--credits N --description D]
int CreateCourse(const std::vector<std::string>& args);

// courses list [--host institutions/{code}] [--state PENDING|APPROVED|...]:
// courses with their recognition and the credits it recognised.
int ListCourses(const std::vector<std::string>& args);

// courses update courses/{id} [--title --category --area --credits --mode
// --description]: changes the fields given (the host or the city).
int UpdateCourse(const std::vector<std::string>& args);

// courses review courses/{id} --decision APPROVED|REJECTED [--reason TEXT]:
// the education office's decision on a course taught outside school.
int ReviewCourse(const std::vector<std::string>& args);

// sections create --term terms/{t} --course courses/{id} --capacity N
//   --policy FIRST_COME|LOTTERY|PRIORITY|HOST_SCREENING
//   (--weekly DAY@HH:MM-HH:MM,... | --dated YYYY-MM-DD@HH:MM-HH:MM,...)
//   [--location --instructor --grades 1,2 --sessions N --min_enrollment N]
int CreateSection(const std::vector<std::string>& args);

// sections move terms/{t}/sections/{id} --to STATE [--reason TEXT]: the
// next step of the section's lifecycle (PUBLISHED, ENROLLMENT_OPEN, ...).
int MoveSection(const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_CATALOG_COMMANDS_H_
