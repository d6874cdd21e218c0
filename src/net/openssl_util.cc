#include "net/openssl_util.h"

#include <openssl/err.h>

#include <fmt/format.h>

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
  switch (code) {
    case Status::Code::kNotFound: return Status::NotFound(message);
    case Status::Code::kPermissionDenied: return Status::PermissionDenied(message);
    case Status::Code::kIoError: return Status::Internal(message);
    case Status::Code::kResourceExhausted: return Status::ResourceExhausted(message);
    case Status::Code::kInternal: return Status::Internal(message);
    default: return Status::InvalidArgument(message);
  }
}

}  // namespace roost::net
