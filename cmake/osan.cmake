# Project-wide helpers.

# osan_warnings(TARGET): our own code compiles warning-free under these flags.
function(osan_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Werror=return-type)
endfunction()

# osan_proto_library(NAME PROTOS... [DEPS...] [GRPC]): one generated library per
# proto package. Generated headers are reachable as "osan/<pkg>/v1/<file>.pb.h".
# The messages are NAME_messages (protobuf only: what domain code may link);
# NAME adds the gRPC stubs of a GRPC package (and is the messages otherwise).
function(osan_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  set(messages ${name}_messages)
  set(message_deps "")
  foreach(dep ${ARG_DEPS})
    list(APPEND message_deps ${dep}_messages)
  endforeach()
  add_library(${messages} STATIC ${ARG_PROTOS})
  target_link_libraries(${messages} PUBLIC protobuf::libprotobuf ${message_deps})
  target_include_directories(${messages} PUBLIC ${CMAKE_CURRENT_BINARY_DIR})
  protobuf_generate(TARGET ${messages} LANGUAGE cpp
                    IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto
                    PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  if(ARG_GRPC)
    add_library(${name} STATIC ${ARG_PROTOS})
    target_link_libraries(${name} PUBLIC ${messages} ${ARG_DEPS} gRPC::grpc++)
    protobuf_generate(TARGET ${name} LANGUAGE grpc
                      GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
                      PLUGIN "protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>"
                      IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto
                      PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${messages} ${ARG_DEPS})
  endif()
endfunction()

# osan_require_pure(TARGET...): fails the configuration if a TARGET links,
# directly or through what it links, gRPC or libpqxx: the domain libraries
# hold rules only (docs/architecture.md).
function(osan_require_pure)
  foreach(target ${ARGN})
    set(seen "")
    set(todo ${target})
    while(todo)
      list(POP_FRONT todo current)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" current "${current}")
      if(current IN_LIST seen OR NOT TARGET ${current})
        continue()
      endif()
      list(APPEND seen ${current})
      if(current MATCHES "^gRPC::" OR current STREQUAL "PkgConfig::PQXX")
        message(FATAL_ERROR "${target} links ${current}; domain libraries may link only "
                            "osan_core and proto messages (docs/architecture.md)")
      endif()
      get_target_property(type ${current} TYPE)
      get_target_property(imported ${current} IMPORTED)
      if(imported)
        continue()
      endif()
      if(NOT type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(links ${current} LINK_LIBRARIES)
        if(links)
          list(APPEND todo ${links})
        endif()
      endif()
      get_target_property(interface_links ${current} INTERFACE_LINK_LIBRARIES)
      if(interface_links)
        list(APPEND todo ${interface_links})
      endif()
    endwhile()
  endforeach()
endfunction()

# osan_embed_migrations(TARGET DIR FUNCTION): compiles every DIR/*.sql into TARGET as
# `osan::db::Migration` entries returned by `osan::FUNCTION()`, ordered by
# file name, so a service binary carries its schema and needs no files at run time.
function(osan_embed_migrations target dir function_name)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${function_name}.cc)
  set(entries "")
  foreach(f ${sql_files})
    get_filename_component(base ${f} NAME_WE)
    string(REGEX MATCH "^[0-9]+" version ${base})
    file(READ ${f} body)
    string(APPEND entries "      {${version}, \"${base}\", R\"osan_sql(${body})osan_sql\"},\n")
  endforeach()
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from ${dir}; do not edit.
#include \"common/migrations.h\"

namespace osan {
const std::vector<db::Migration>& ${function_name}() {
  static const auto* migrations = new std::vector<db::Migration>{
${entries}  };
  return *migrations;
}
}  // namespace osan
")
  target_sources(${target} PRIVATE ${out})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sql_files})
endfunction()

# osan_embed_texts(TARGET DIR EXT FUNCTION HEADER): compiles every DIR/*.EXT into TARGET
# as `const std::map<std::string, std::string>& FUNCTION()` (declared in HEADER), keyed by
# file name without the extension: files kept as files in the tree, carried by the binary.
function(osan_embed_texts target dir ext function_name header)
  file(GLOB text_files CONFIGURE_DEPENDS ${dir}/*.${ext})
  list(SORT text_files)
  string(REPLACE "::" "_" out_name ${function_name})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${out_name}.cc)
  set(entries "")
  foreach(f ${text_files})
    get_filename_component(base ${f} NAME_WE)
    file(READ ${f} body)
    string(APPEND entries "      {\"${base}\", R\"osan_text(${body})osan_text\"},\n")
  endforeach()
  file(CONFIGURE OUTPUT ${out} CONTENT
"// Generated from ${dir}; do not edit.
#include \"${header}\"

const std::map<std::string, std::string>& ${function_name}() {
  static const auto* texts = new std::map<std::string, std::string>{
${entries}  };
  return *texts;
}
" @ONLY)
  target_sources(${target} PRIVATE ${out})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${text_files})
endfunction()

# ----- Sanitizers and fuzzing -------------------------------------------------
#
# OSAN_SANITIZE=address  every target with AddressSanitizer + UndefinedBehaviorSanitizer
# OSAN_SANITIZE=thread   every target with ThreadSanitizer
# Both work with gcc (Debian's libasan8, libubsan1, liblsan0, libtsan2) and clang. Use a
# build directory of its own (tools/dev test uses build-asan and build-tsan).
#
# OSAN_FUZZ=ON builds the libFuzzer targets of tests/fuzz (clang only: configure with
# CMAKE_CXX_COMPILER=clang++-14). Every target is then instrumented for coverage
# (-fsanitize=fuzzer-no-link) with ASan + UBSan, UB aborts, and the fuzzers link libFuzzer.
set(OSAN_SANITIZE "" CACHE STRING "Sanitizers for every target: address (ASan+UBSan) or thread")
set_property(CACHE OSAN_SANITIZE PROPERTY STRINGS "" address thread)
option(OSAN_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

if(OSAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR
      "OSAN_FUZZ=ON needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: configure a build "
      "directory of its own with -DCMAKE_CXX_COMPILER=clang++-14 (Debian packages clang-14 "
      "and libclang-rt-14-dev)")
  endif()
  if(OSAN_SANITIZE STREQUAL "")
    set(OSAN_SANITIZE address CACHE STRING
        "Sanitizers for every target: address (ASan+UBSan) or thread" FORCE)
  elseif(NOT OSAN_SANITIZE STREQUAL "address")
    message(FATAL_ERROR "OSAN_FUZZ=ON works with OSAN_SANITIZE=address only, not "
                        "'${OSAN_SANITIZE}'")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(OSAN_SANITIZE STREQUAL "address")
  set(osan_sanitize_flags -fsanitize=address,undefined -fno-omit-frame-pointer)
  if(OSAN_FUZZ)
    # A fuzzer must stop at the first undefined behaviour to report it.
    list(APPEND osan_sanitize_flags -fno-sanitize-recover=all)
  endif()
elseif(OSAN_SANITIZE STREQUAL "thread")
  set(osan_sanitize_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT OSAN_SANITIZE STREQUAL "")
  message(FATAL_ERROR "OSAN_SANITIZE must be empty, 'address' or 'thread', not '${OSAN_SANITIZE}'")
endif()
if(osan_sanitize_flags)
  message(STATUS "Sanitizers for every target: ${osan_sanitize_flags}")
  add_compile_options(${osan_sanitize_flags})
  add_link_options(${osan_sanitize_flags})
endif()

# Debian's abseil is not built with TSan, which then cannot see absl::Mutex order memory
# (ours or gRPC's) and reports every access it guards as a race. Under TSan every target
# links, first, a small uninstrumented library that takes over absl::Mutex, CondVar and
# Notification and annotates them for TSan (see absl_tsan_annotations.cc).
if(OSAN_SANITIZE STREQUAL "thread")
  add_library(osan_absl_tsan_annotations SHARED ${CMAKE_CURRENT_LIST_DIR}/absl_tsan_annotations.cc)
  target_compile_options(osan_absl_tsan_annotations PRIVATE -fno-sanitize=all)
  target_link_options(osan_absl_tsan_annotations PRIVATE -fno-sanitize=all)
  target_link_libraries(osan_absl_tsan_annotations PRIVATE absl::synchronization ${CMAKE_DL_LIBS})
  link_libraries(osan_absl_tsan_annotations)
endif()
