// libFuzzer target for the storage/mime header-value decoders: RFC 2047
// encoded-words, RFC 5322 address lists and RFC 2231 parameters.
//
// Checks: no crash, decoded text is valid UTF-8 (re-validating it changes
// nothing), caps hold, and the parsers examine at most the input once.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/mime/address.h"
#include "storage/mime/charset.h"
#include "storage/mime/params.h"
#include "storage/mime/rfc2047.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace roost::storage::mime;
  std::string_view in(reinterpret_cast<const char*>(data), size);

  std::string decoded = DecodeRfc2047(in);
  std::string revalidated;
  AppendValidUtf8(decoded, &revalidated);
  Check(revalidated == decoded);

  uint64_t steps = 0;
  AddressList list = ParseAddressList(in, 16, &steps);
  Check(steps <= size);
  Check(list.addresses.size() <= 17);  // + a closing group marker
  for (const Address& a : list.addresses) (void)DecodeRfc2047(a.name);

  MimeLimits limits;
  limits.max_params = 4;
  limits.max_raw_params = 8;
  uint64_t param_steps = 0;
  ContentType ct = ParseContentType(in, limits, &param_steps);
  Check(param_steps <= 2 * size);
  Check(ct.params.params.size() <= limits.max_params);
  return 0;
}
