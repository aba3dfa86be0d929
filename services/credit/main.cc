// credit-record-server: attendance, assessment, completion, the credit ledger,
// result packages for home schools, transcripts.
#include "services/credit/api/credit_service.h"

int main(int argc, char** argv) {
  return osan::ServiceMain(argc, argv, osan::credit::CreditDefinition());
}
