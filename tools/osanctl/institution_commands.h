// osanctl's registry commands for the city and the education office: the
// institutions the exchange knows, and suspending one (its tokens are then
// refused by every service within the registry cache's 5 s, see
// docs/security.md) and resuming it.
//
// Conventions as in catalog_commands.h: exit code 0 on success, 1 when the
// call fails, 2 when called wrongly; the catalog at --catalog with the
// token of --token.
#ifndef OSAN_TOOLS_OSANCTL_INSTITUTION_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_INSTITUTION_COMMANDS_H_

#include <string>
#include <vector>

namespace osan::cli {

// institutions list [--kind HIGH_SCHOOL|CITY_ACADEMY|...]: code, name, kind,
// area and whether it is suspended, every page.
int ListInstitutions(const std::vector<std::string>& args);

// institutions suspend CODE | institutions resume CODE: sets the
// institution's `suspended` flag (CITY or EDU_OFFICE); CODE may also be
// given as institutions/{code}.
int SetInstitutionSuspended(bool suspended, const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_INSTITUTION_COMMANDS_H_
