#include "net/openssl_util.h"

#include <fmt/format.h>
#include <openssl/err.h>

namespace roost::net {

std::string DrainOpenSslErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!text.empty()) text += "; ";
    text += buf;
  }
  if (text.empty()) text = "no OpenSSL error reported";
  return text;
}

Status OpenSslStatus(Status::Code code, std::string_view what) {
  std::string message = fmt::format("{}: {}", what, DrainOpenSslErrors());
  // Only the codes the TLS files use; anything else is a bug of ours.
  if (code == Status::Code::kInvalidArgument) return Status::InvalidArgument(message);
  if (code == Status::Code::kPermissionDenied) return Status::PermissionDenied(message);
  return Status::Internal(message);
}

}  // namespace roost::net
