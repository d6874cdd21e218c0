// Test helper: reads a hand-written fixture from tests/unit/storage/fixtures/
// (located relative to this source file, so tests run from any directory).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace roost::storage::maildir::testing {

inline std::string ReadFixture(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path() / "fixtures";
  std::ifstream in(dir / name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace roost::storage::maildir::testing
