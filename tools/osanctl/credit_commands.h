// osanctl's credit-record commands: what a host records for its sections and
// what a home school reads and acknowledges through the credit-record service
// (osan.credit.v1.CreditService).
//
// Every command takes the positional arguments after its command words and
// returns the process exit code: 0 on success, 1 when the call fails (printed
// as "osanctl: CODE: message"), 2 when called wrongly (printed with a usage
// line). Each calls the service at --credit (default $OSAN_CREDIT or
// 127.0.0.1:50053) with the bearer token of --token (default $OSAN_TOKEN);
// changes carry --request_id, or a fresh one if it is not given.
#ifndef OSAN_TOOLS_OSANCTL_CREDIT_COMMANDS_H_
#define OSAN_TOOLS_OSANCTL_CREDIT_COMMANDS_H_

#include <string>
#include <vector>

namespace osan::cli {

// --credit, else $OSAN_CREDIT, else 127.0.0.1:50053.
std::string CreditAddress();

// results pending --school CODE: the latest unacknowledged result of each of
// the school's students and sections.
int ListPendingResults(const std::vector<std::string>& args);

// results export --school CODE [--out FILE]: the pending results as the
// service's CSV, written to FILE (mode 0644, with "wrote N result(s) to FILE"
// on stderr) or, without --out, to stdout as is.
int ExportPendingResults(const std::vector<std::string>& args);

// results ack ENTRY --entry_version N: the home school entered version N of
// ledger entry ENTRY into NEIS. (Not --version: Abseil reserves that flag.)
int AcknowledgeResult(const std::vector<std::string>& args);

// results history ENTRY: every version of a ledger entry, oldest first.
int ShowLedgerHistory(const std::vector<std::string>& args);

// results feed [--cursor C] [--follow]: one tab-separated line per result
// event (cursor, entry, version, student, title, outcome, acknowledged),
// flushed as it arrives.
int WatchResults(const std::vector<std::string>& args);

// transcript STUDENT: credit progress toward graduation, per-area minimums,
// every result, and what is not completed or awaits remediation.
int ShowTranscript(const std::vector<std::string>& args);

// attendance SECTION --session N --date YYYY-MM-DD --marks STUDENT=STATUS,...
// [--reason TEXT]: records (or, with --reason, corrects) a session.
int RecordAttendance(const std::vector<std::string>& args);

// assess SECTION --student NAME --score X --rate Y [--notes TEXT]
// [--reason TEXT]: records (or, with --reason, corrects) an assessment.
int RecordAssessment(const std::vector<std::string>& args);

// finalize SECTION: decides every enrolled student's outcome and writes the
// results to the ledger.
int FinalizeSection(const std::vector<std::string>& args);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_CREDIT_COMMANDS_H_
