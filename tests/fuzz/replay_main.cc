// Replay driver for fuzz targets built without libFuzzer (gcc builds).
//
// Usage: <target> PATH...   Each PATH is a file or a directory (read
// non-recursively, in name order); every file is fed once to
// LLVMFuzzerTestOneInput, followed by the empty input. Exits non-zero if a
// PATH is missing or empty of files, so a lost corpus fails the test
// instead of passing vacuously; a crash fails it the usual way (under ASan
// in scripts/test).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A heap copy of exactly the input's size, so ASan catches reads past it.
  std::vector<uint8_t> data(bytes.begin(), bytes.end());
  // libFuzzer never passes a null pointer, even for empty input.
  if (data.empty()) data.reserve(1);
  LLVMFuzzerTestOneInput(data.data(), data.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path root(argv[i]);
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(root, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
    } else if (std::filesystem::is_regular_file(root, ec)) {
      files.push_back(root);
    }
    if (files.empty()) {
      std::fprintf(stderr, "replay: no inputs at %s\n", root.c_str());
      return 1;
    }
    for (const auto& f : files) {
      if (RunFile(f) != 0) return 1;
      ++runs;
    }
  }
  static const uint8_t kEmpty[1] = {0};
  LLVMFuzzerTestOneInput(kEmpty, 0);
  std::printf("replay: %zu inputs ok\n", runs);
  return 0;
}
