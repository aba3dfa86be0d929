// Loads the demo data file into a running catalog through its public API.
#ifndef OSAN_TOOLS_OSANCTL_DEMO_LOADER_H_
#define OSAN_TOOLS_OSANCTL_DEMO_LOADER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "common/auth.h"

namespace osan::cli {

// Parses `textproto` (an osan.tools.demo.DemoData) and creates its
// institutions, terms, courses and sections in catalog, then its students and
// applications in enrollment, each as the institution entitled to (tokens
// minted with `signer`), reporting progress on `progress`. Every call has a
// fixed request_id, so a second load changes nothing.
absl::Status LoadDemoData(const std::string& textproto, const auth::TokenSigner& signer,
                          std::shared_ptr<grpc::Channel> catalog,
                          std::shared_ptr<grpc::Channel> enrollment, std::ostream& progress);

}  // namespace osan::cli

#endif  // OSAN_TOOLS_OSANCTL_DEMO_LOADER_H_
