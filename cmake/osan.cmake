# Project-wide helpers.

# osan_warnings(TARGET): our own code compiles warning-free under these flags.
function(osan_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Werror=return-type)
endfunction()

# osan_proto_library(NAME PROTOS... [DEPS...] [GRPC]): one generated library per
# proto package. Generated headers are reachable as "osan/<pkg>/v1/<file>.pb.h".
function(osan_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_PROTOS})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_BINARY_DIR})
  protobuf_generate(TARGET ${name} LANGUAGE cpp
                    IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto
                    PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  if(ARG_GRPC)
    target_link_libraries(${name} PUBLIC gRPC::grpc++)
    protobuf_generate(TARGET ${name} LANGUAGE grpc
                      GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
                      PLUGIN "protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>"
                      IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto
                      PROTOC_OUT_DIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()
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
