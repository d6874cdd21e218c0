// Minimal HTTP/1.1 GET and Prometheus text parsing for the admin listener
// tests. One request per connection ("Connection: close"), bounded reads.
//
// Thread affinity: plain functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace roost::itest {

struct HttpResponse {
  int status = 0;
  std::string body;
};

Result<HttpResponse> HttpGet(uint16_t port, std::string_view path);

// Sum of the samples of metric `name` whose label set contains `label`
// (e.g. protocol="imap"; empty matches all). nullopt if there is none.
std::optional<double> MetricValue(std::string_view text, std::string_view name,
                                  std::string_view label = "");

}  // namespace roost::itest
