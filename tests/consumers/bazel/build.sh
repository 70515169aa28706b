bazel run //:first_program
bazel test //:first_program_test
