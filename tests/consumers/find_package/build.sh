# Install cyclegc once (static; add -DBUILD_SHARED_LIBS=ON for a shared one):
cmake -S /path/to/cyclegc -B cyclegc-build -DCYCLEGC_BUILD_TESTS=OFF \
  -DCYCLEGC_BUILD_EXAMPLES=OFF -DCYCLEGC_BUILD_BENCHMARKS=OFF
cmake --build cyclegc-build --parallel
cmake --install cyclegc-build --prefix /path/to/prefix
# Then build your project against it:
cmake -S . -B build -DCMAKE_PREFIX_PATH=/path/to/prefix
cmake --build build
./build/first_program
