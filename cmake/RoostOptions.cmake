# Build types and warning flags.
#
#   Release       -O2, asserts off                       (scripts/demo, benchmarks)
#   Debug         -O0 -g                                 (development)
#   Asan          -O1 -g, AddressSanitizer + UBSan        (scripts/test default)
#   Tsan          -O1 -g, ThreadSanitizer                 (scripts/test --tsan)
#
# Warnings are errors in our own targets only (roost_warnings), never in
# third-party headers, which are included as SYSTEM.
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

set(CMAKE_CXX_FLAGS_ASAN "-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
    CACHE STRING "" FORCE)
set(CMAKE_C_FLAGS_ASAN "${CMAKE_CXX_FLAGS_ASAN}" CACHE STRING "" FORCE)
set(CMAKE_EXE_LINKER_FLAGS_ASAN "-fsanitize=address,undefined" CACHE STRING "" FORCE)
set(CMAKE_SHARED_LINKER_FLAGS_ASAN "-fsanitize=address,undefined" CACHE STRING "" FORCE)

set(CMAKE_CXX_FLAGS_TSAN "-O1 -g -fno-omit-frame-pointer -fsanitize=thread" CACHE STRING "" FORCE)
set(CMAKE_C_FLAGS_TSAN "${CMAKE_CXX_FLAGS_TSAN}" CACHE STRING "" FORCE)
set(CMAKE_EXE_LINKER_FLAGS_TSAN "-fsanitize=thread" CACHE STRING "" FORCE)
set(CMAKE_SHARED_LINKER_FLAGS_TSAN "-fsanitize=thread" CACHE STRING "" FORCE)

set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG" CACHE STRING "" FORCE)

add_library(roost_warnings INTERFACE)
target_compile_options(roost_warnings INTERFACE
  -Wall -Wextra -Werror -Wno-unused-parameter -Werror=switch -Wshadow=local
  -Wnon-virtual-dtor -Wimplicit-fallthrough)
