// osanctl's enrollment commands: what a home school or a host does through
// the enrollment service (osan.enrollment.v1.EnrollmentService).
//
// Every command takes the positional arguments after its command words and
// returns the process exit code: 0 on success, 1 when the call fails (printed
// as "osanctl: CODE: message"), 2 when called wrongly (printed with a usage
// line). Each calls the service at --enrollment (default $OSAN_ENROLLMENT or
// 127.0.0.1:50052) with the bearer token of --token (default $OSAN_TOKEN);
// changes carry --request_id, or a fresh one if it is not given. Lists are
// read to their last page.
#ifndef OSAN_TOOLS_OSANCTL_ENROLLMENT_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_ENROLLMENT_COMMANDS_H_

#include <string>
#include <vector>

namespace osan::cli {

// --enrollment, else $OSAN_ENROLLMENT, else 127.0.0.1:50052.
std::string EnrollmentAddress();

// students add --school CODE --key KEY --entry_year YYYY --name NAME
int AddStudent(const std::vector<std::string>& args);

// students list --school CODE
int ListStudents(const std::vector<std::string>& args);

// apply --student NAME --section NAME --rank N [--approve]
int SubmitApplication(const std::vector<std::string>& args);

// applications list (--school CODE | --section NAME) [--state STATE]
int ListApplications(const std::vector<std::string>& args);

// The decisions on an application: `applications <verb> NAME [--reason TEXT]`.
enum class Decision { kApprove, kReject, kWithdraw, kAccept, kDecline };
int DecideApplication(Decision decision, const std::vector<std::string>& args);

// drop NAME --reason TEXT
int DropEnrollment(const std::vector<std::string>& args);

// roster SECTION: enrolled students, then the waitlist in order.
int ShowRoster(const std::vector<std::string>& args);

// allocate --term terms/{year}-{semester} [--seed N]
int RunAllocation(const std::vector<std::string>& args);
int ListAllocationDecisions(const std::vector<std::string>& args);

// cancel-section SECTION --reason TEXT
int CancelSection(const std::vector<std::string>& args);

// sections seats --term terms/{year}-{semester} [--json]: each section's
// capacity, enrolled and waitlisted, as the public listing shows them (no
// token needed); --json prints the service's reply as JSON.
int ShowSeatCounts(const std::vector<std::string>& args);

// feed [--cursor C] [--follow]: one tab-separated line per change (cursor,
// application, student, section, state, reason), flushed as it arrives.
int WatchChanges(const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_ENROLLMENT_COMMANDS_H_
