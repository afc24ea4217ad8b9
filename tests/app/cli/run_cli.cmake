# Runs atelier-cli and checks its exit status and output (ctest's PASS_REGULAR_EXPRESSION would
# ignore the exit status). Arguments: -DCLI=<exe> -DARGS=<arguments separated by '|'> -DEXPECT_EXIT=<n>
# [-DEXPECT_STDOUT=<regex>] [-DEXPECT_STDERR=<regex>]
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${CLI} ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status STREQUAL "${EXPECT_EXIT}")
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match ${EXPECT_STDOUT}:\n${out}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match ${EXPECT_STDERR}:\n${err}")
endif()
