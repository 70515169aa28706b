# gnuplot script written by bench/report.py
set termoption noenhanced
set datafile missing "NaN"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set logscale y
set grid ytics
set xtics rotate by -30 font ",9"
set key outside right top font ",9"
set multiplot layout 2,1
set title "Time relative to cyclegc (peer / cyclegc; above 1 = cyclegc faster)"
set ylabel "ratio (log)"
plot 'plot.dat' using 2:xtic(1) title 'cyclegc' lc rgb '#7b2cbf', \
    '' using 3 title 'cyclegc, weak parents' lc rgb '#c77dff', \
    '' using 4 title 'cyclegc, weak parents, acyclic types' lc rgb '#e0aaff', \
    '' using 5 title 'shared_ptr, weak parents' lc rgb '#2a9d8f', \
    '' using 6 title 'shared_ptr, strong parents' lc rgb '#8ecae6', \
    '' using 7 title 'Boehm GC' lc rgb '#e9c46a', \
    '' using 8 title 'cppgc (Oilpan)' lc rgb '#e76f51', \
    '' using 9 title 'CPython gc' lc rgb '#264653'
set title "Peak RSS per program (MiB)"
set ylabel "MiB (log)"
plot 'plot.dat' using 10:xtic(1) title 'cyclegc' lc rgb '#7b2cbf', \
    '' using 11 title 'cyclegc, weak parents' lc rgb '#c77dff', \
    '' using 12 title 'cyclegc, weak parents, acyclic types' lc rgb '#e0aaff', \
    '' using 13 title 'shared_ptr, weak parents' lc rgb '#2a9d8f', \
    '' using 14 title 'shared_ptr, strong parents' lc rgb '#8ecae6', \
    '' using 15 title 'Boehm GC' lc rgb '#e9c46a', \
    '' using 16 title 'cppgc (Oilpan)' lc rgb '#e76f51', \
    '' using 17 title 'CPython gc' lc rgb '#264653'
unset multiplot
