// Micro benchmarks of the IMAP framer: a pipelined stream of typical
// commands, and one 10 MB APPEND literal (the copy into the frame
// dominates; the framer must not add more than that).
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "base/limits.h"
#include "proto/common/line_framer.h"

namespace roost::proto {
namespace {

// Feeds `input` in `chunk`-sized reads, as a connection would, and returns
// the number of frames.
size_t FrameAll(ImapFramer& framer, std::string_view input, size_t chunk) {
  size_t frames = 0;
  while (!input.empty()) {
    std::string_view piece = input.substr(0, chunk);
    input.remove_prefix(piece.size());
    while (true) {
      net::FramerStep step = framer.Step(piece);
      piece.remove_prefix(step.consumed);
      if (step.kind == net::FramerStep::Kind::kNeedMore) break;
      if (step.kind == net::FramerStep::Kind::kFrame) {
        ++frames;
        benchmark::DoNotOptimize(step.frame.bytes.data());
      }
    }
  }
  return frames;
}

std::string PipelinedStream() {
  const std::string_view commands[] = {
      "a1 NOOP\r\n",
      "a2 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)])\r\n",
      "a3 UID STORE 100:200 +FLAGS.SILENT (\\Seen)\r\n",
      "a4 SELECT \"INBOX\"\r\n",
      "a5 LIST \"\" \"*\"\r\n",
      "a6 LOGIN {8+}\r\nuser@exa {8+}\r\npassword\r\n",
      "a7 UID SEARCH UNSEEN SINCE 1-Jan-2024\r\n",
      "a8 IDLE\r\n",
      "DONE\r\n",
  };
  std::string stream;
  while (stream.size() < 1024 * 1024) {
    for (std::string_view c : commands) stream += c;
  }
  return stream;
}

void BM_FramerPipelined(benchmark::State& state) {
  const std::string stream = PipelinedStream();
  const size_t chunk = static_cast<size_t>(state.range(0));
  size_t frames = 0;
  for (auto _ : state) {
    ImapFramer framer(FrameLimits{});
    frames += FrameAll(framer, stream, chunk);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(frames), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FramerPipelined)->Arg(4096)->Arg(64 * 1024);

void BM_FramerAppendLiteral(benchmark::State& state) {
  constexpr size_t kSize = 10 * 1024 * 1024;
  std::string stream = "a1 APPEND INBOX (\\Seen) {" + std::to_string(kSize) + "+}\r\n";
  stream.append(kSize, 'm');
  stream += "\r\n";
  const size_t chunk = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    ImapFramer framer(FrameLimits{});  // post-auth: 64 MB literals
    if (FrameAll(framer, stream, chunk) != 1) state.SkipWithError("expected one frame");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_FramerAppendLiteral)->Arg(16 * 1024)->Arg(64 * 1024)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace roost::proto
