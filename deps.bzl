"""cyclegc_dependencies(): the external repositories cyclegc needs.

cyclegc's own WORKSPACE calls it, and so does a workspace that depends on
cyclegc:

    local_repository(
        name = "cyclegc",
        path = "/path/to/cyclegc",
    )

    load("@cyclegc//:deps.bzl", "cyclegc_dependencies")

    cyclegc_dependencies()

Everything is offline: rules_cc and remote_coverage_tools are stand-ins in
cyclegc's third_party/, rules_java is Debian's bazel-rules-java, and Abseil,
GoogleTest and Google Benchmark are Debian's -dev packages found by
pkg-config. A repository that the workspace defined before the call is kept.
"""

load("//third_party:pkg_config.bzl", "pkg_config_repository")

def _cyclegc_directory_impl(rctx):
    # rctx.path of a label is the file in cyclegc's checkout, wherever the
    # workspace that calls the macro is: link the folder next to it.
    folder = rctx.path(rctx.attr.anchor).dirname.get_child(rctx.attr.folder)
    if not folder.exists:
        fail("@%s: %s does not exist" % (rctx.name, folder))
    for child in folder.readdir():
        rctx.symlink(child, child.basename)

# A local_repository whose path is a folder of cyclegc's checkout (a plain
# local_repository's relative path would resolve against the workspace that
# calls the macro, not against cyclegc).
_cyclegc_directory = repository_rule(
    implementation = _cyclegc_directory_impl,
    attrs = {
        "anchor": attr.label(mandatory = True, allow_single_file = True),
        "folder": attr.string(mandatory = True),
    },
    local = True,
)

# The Abseil libraries cyclegc links, as pkg-config modules. CMakeLists.txt
# reads this list (one quoted name a line) for its CMake targets absl::<name>.
CYCLEGC_ABSL_MODULES = [
    "absl_status",
    "absl_statusor",
    "absl_strings",
    "absl_str_format",
    "absl_hash",
    "absl_flat_hash_map",
    "absl_flat_hash_set",
    "absl_time",
    "absl_synchronization",
    "absl_debugging",
]

def _maybe(rule, name, **kwargs):
    if not native.existing_rule(name):
        rule(name = name, **kwargs)

def cyclegc_dependencies():
    """Defines the repositories cyclegc needs that are not defined yet."""

    # Bazel's own BUILD files load @rules_cc and @rules_java, and test rules
    # refer to @remote_coverage_tools. Bazel would download them; these
    # replace them.
    _maybe(
        _cyclegc_directory,
        name = "rules_cc",
        anchor = Label("//third_party:BUILD.bazel"),
        folder = "rules_cc",
    )
    _maybe(
        native.local_repository,
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",  # Debian package bazel-rules-java.
    )
    _maybe(
        _cyclegc_directory,
        name = "remote_coverage_tools",
        anchor = Label("//third_party:BUILD.bazel"),
        folder = "remote_coverage_tools",
    )

    # System libraries (Debian -dev packages); link flags come from pkg-config.
    _maybe(
        pkg_config_repository,
        name = "com_google_absl",
        default_package = "libabsl-dev",
        targets = {"absl": CYCLEGC_ABSL_MODULES},
    )
    _maybe(
        pkg_config_repository,
        name = "com_google_googletest",
        default_package = "libgtest-dev",
        packages = {"gmock": "libgmock-dev"},
        targets = {
            "gtest": ["gtest", "gmock"],
            "gtest_main": ["gtest_main", "gmock"],
        },
        deps = {"gtest_main": [":gtest"]},
    )
    _maybe(
        pkg_config_repository,
        name = "com_google_benchmark",
        default_package = "libbenchmark-dev",
        # Debian ships libbenchmark_main.a without a .pc file.
        extra_libs = {"benchmark_main": ["benchmark_main"]},
        targets = {
            "benchmark": ["benchmark"],
            "benchmark_main": ["benchmark"],
        },
        deps = {"benchmark_main": [":benchmark"]},
    )
