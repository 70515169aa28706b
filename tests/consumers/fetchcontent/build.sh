cmake -S . -B build
cmake --build build
./build/first_program
