# After `cmake --install` of cyclegc to /path/to/prefix (see above):
export PKG_CONFIG_PATH=/path/to/prefix/lib/pkgconfig
g++ -std=c++20 first_program.cc $(pkg-config --cflags --libs cyclegc) \
  -o first_program
./first_program
