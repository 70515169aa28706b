cmake -S . -B build -DBUILD_SHARED_LIBS=ON  # libcyclegc.so; static without it
cmake --build build
./build/first_program
