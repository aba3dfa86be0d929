// Identifiers of new resources.
#ifndef OSAN_COMMON_IDS_H_
#define OSAN_COMMON_IDS_H_

#include <string>

namespace osan {

// A random (version 4) UUID in lower-case 8-4-4-4-12 form, from OpenSSL's CSPRNG.
std::string NewUuid();

}  // namespace osan

#endif  // OSAN_COMMON_IDS_H_
