desc: --detailed-freq=1 --time-unit=i --massif-out-file=massif.out.leaky_c.i
cmd: ./leaky_c
time_unit: i
#-----------
snapshot=0
#-----------
time=0
mem_heap_B=0
mem_heap_extra_B=0
mem_stacks_B=0
heap_tree=detailed
n0: 0 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
#-----------
snapshot=1
#-----------
time=135351
mem_heap_B=65536
mem_heap_extra_B=8
mem_stacks_B=0
heap_tree=detailed
n1: 65536 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
#-----------
snapshot=2
#-----------
time=201660
mem_heap_B=65792
mem_heap_extra_B=16
mem_stacks_B=0
heap_tree=detailed
n2: 65792 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n0: 256 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=3
#-----------
time=203226
mem_heap_B=70400
mem_heap_extra_B=32
mem_stacks_B=0
heap_tree=detailed
n3: 70400 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 768 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=4
#-----------
time=208033
mem_heap_B=70400
mem_heap_extra_B=32
mem_stacks_B=0
heap_tree=detailed
n3: 70400 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 768 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=5
#-----------
time=209228
mem_heap_B=72192
mem_heap_extra_B=48
mem_stacks_B=0
heap_tree=detailed
n5: 72192 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 1024 0x10922B: history_append (leaky_c.c:38)
  n0: 1024 0x10948C: main (leaky_c.c:78)
 n1: 1024 0x109312: cache_put (leaky_c.c:53)
  n0: 1024 0x1094A0: main (leaky_c.c:80)
 n0: 512 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=6
#-----------
time=213849
mem_heap_B=73984
mem_heap_extra_B=64
mem_stacks_B=0
heap_tree=detailed
n5: 73984 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2048 0x109312: cache_put (leaky_c.c:53)
  n0: 2048 0x1094A0: main (leaky_c.c:80)
 n1: 1536 0x10922B: history_append (leaky_c.c:38)
  n0: 1536 0x10948C: main (leaky_c.c:78)
 n1: 768 0x1091DE: leak_event (leaky_c.c:32)
  n0: 768 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=7
#-----------
time=218004
mem_heap_B=73984
mem_heap_extra_B=64
mem_stacks_B=0
heap_tree=detailed
n5: 73984 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2048 0x109312: cache_put (leaky_c.c:53)
  n0: 2048 0x1094A0: main (leaky_c.c:80)
 n1: 1536 0x10922B: history_append (leaky_c.c:38)
  n0: 1536 0x10948C: main (leaky_c.c:78)
 n1: 768 0x1091DE: leak_event (leaky_c.c:32)
  n0: 768 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=8
#-----------
time=218470
mem_heap_B=75776
mem_heap_extra_B=80
mem_stacks_B=0
heap_tree=detailed
n5: 75776 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x109312: cache_put (leaky_c.c:53)
  n0: 3072 0x1094A0: main (leaky_c.c:80)
 n1: 2048 0x10922B: history_append (leaky_c.c:38)
  n0: 2048 0x10948C: main (leaky_c.c:78)
 n1: 1024 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1024 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=9
#-----------
time=222625
mem_heap_B=75776
mem_heap_extra_B=80
mem_stacks_B=0
heap_tree=detailed
n5: 75776 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x109312: cache_put (leaky_c.c:53)
  n0: 3072 0x1094A0: main (leaky_c.c:80)
 n1: 2048 0x10922B: history_append (leaky_c.c:38)
  n0: 2048 0x10948C: main (leaky_c.c:78)
 n1: 1024 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1024 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=10
#-----------
time=223091
mem_heap_B=77568
mem_heap_extra_B=96
mem_stacks_B=0
heap_tree=detailed
n5: 77568 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 4096 0x109312: cache_put (leaky_c.c:53)
  n0: 4096 0x1094A0: main (leaky_c.c:80)
 n1: 2560 0x10922B: history_append (leaky_c.c:38)
  n0: 2560 0x10948C: main (leaky_c.c:78)
 n1: 1280 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1280 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=11
#-----------
time=227246
mem_heap_B=77568
mem_heap_extra_B=96
mem_stacks_B=0
heap_tree=detailed
n5: 77568 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 4096 0x109312: cache_put (leaky_c.c:53)
  n0: 4096 0x1094A0: main (leaky_c.c:80)
 n1: 2560 0x10922B: history_append (leaky_c.c:38)
  n0: 2560 0x10948C: main (leaky_c.c:78)
 n1: 1280 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1280 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=12
#-----------
time=227712
mem_heap_B=79360
mem_heap_extra_B=112
mem_stacks_B=0
heap_tree=detailed
n5: 79360 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 5120 0x109312: cache_put (leaky_c.c:53)
  n0: 5120 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x10922B: history_append (leaky_c.c:38)
  n0: 3072 0x10948C: main (leaky_c.c:78)
 n1: 1536 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1536 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=13
#-----------
time=231867
mem_heap_B=79360
mem_heap_extra_B=112
mem_stacks_B=0
heap_tree=detailed
n5: 79360 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 5120 0x109312: cache_put (leaky_c.c:53)
  n0: 5120 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x10922B: history_append (leaky_c.c:38)
  n0: 3072 0x10948C: main (leaky_c.c:78)
 n1: 1536 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1536 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=14
#-----------
time=232333
mem_heap_B=81152
mem_heap_extra_B=128
mem_stacks_B=0
heap_tree=detailed
n5: 81152 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 6144 0x109312: cache_put (leaky_c.c:53)
  n0: 6144 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3584 0x10922B: history_append (leaky_c.c:38)
  n0: 3584 0x10948C: main (leaky_c.c:78)
 n1: 1792 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1792 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=15
#-----------
time=236488
mem_heap_B=81152
mem_heap_extra_B=128
mem_stacks_B=0
heap_tree=detailed
n5: 81152 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 6144 0x109312: cache_put (leaky_c.c:53)
  n0: 6144 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3584 0x10922B: history_append (leaky_c.c:38)
  n0: 3584 0x10948C: main (leaky_c.c:78)
 n1: 1792 0x1091DE: leak_event (leaky_c.c:32)
  n0: 1792 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=16
#-----------
time=236954
mem_heap_B=82944
mem_heap_extra_B=144
mem_stacks_B=0
heap_tree=detailed
n5: 82944 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 7168 0x109312: cache_put (leaky_c.c:53)
  n0: 7168 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10922B: history_append (leaky_c.c:38)
  n0: 4096 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2048 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2048 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=17
#-----------
time=241109
mem_heap_B=82944
mem_heap_extra_B=144
mem_stacks_B=0
heap_tree=detailed
n5: 82944 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 7168 0x109312: cache_put (leaky_c.c:53)
  n0: 7168 0x1094A0: main (leaky_c.c:80)
 n1: 4096 0x10922B: history_append (leaky_c.c:38)
  n0: 4096 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2048 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2048 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=18
#-----------
time=241575
mem_heap_B=84736
mem_heap_extra_B=160
mem_stacks_B=0
heap_tree=detailed
n5: 84736 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 8192 0x109312: cache_put (leaky_c.c:53)
  n0: 8192 0x1094A0: main (leaky_c.c:80)
 n1: 4608 0x10922B: history_append (leaky_c.c:38)
  n0: 4608 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2304 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2304 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=19
#-----------
time=245730
mem_heap_B=84736
mem_heap_extra_B=160
mem_stacks_B=0
heap_tree=detailed
n5: 84736 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 8192 0x109312: cache_put (leaky_c.c:53)
  n0: 8192 0x1094A0: main (leaky_c.c:80)
 n1: 4608 0x10922B: history_append (leaky_c.c:38)
  n0: 4608 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2304 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2304 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=20
#-----------
time=246196
mem_heap_B=86528
mem_heap_extra_B=176
mem_stacks_B=0
heap_tree=detailed
n5: 86528 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 9216 0x109312: cache_put (leaky_c.c:53)
  n0: 9216 0x1094A0: main (leaky_c.c:80)
 n1: 5120 0x10922B: history_append (leaky_c.c:38)
  n0: 5120 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2560 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2560 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=21
#-----------
time=250351
mem_heap_B=86528
mem_heap_extra_B=176
mem_stacks_B=0
heap_tree=detailed
n5: 86528 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 9216 0x109312: cache_put (leaky_c.c:53)
  n0: 9216 0x1094A0: main (leaky_c.c:80)
 n1: 5120 0x10922B: history_append (leaky_c.c:38)
  n0: 5120 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2560 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2560 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=22
#-----------
time=250817
mem_heap_B=88320
mem_heap_extra_B=192
mem_stacks_B=0
heap_tree=detailed
n5: 88320 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 10240 0x109312: cache_put (leaky_c.c:53)
  n0: 10240 0x1094A0: main (leaky_c.c:80)
 n1: 5632 0x10922B: history_append (leaky_c.c:38)
  n0: 5632 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2816 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2816 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=23
#-----------
time=254972
mem_heap_B=88320
mem_heap_extra_B=192
mem_stacks_B=0
heap_tree=detailed
n5: 88320 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 10240 0x109312: cache_put (leaky_c.c:53)
  n0: 10240 0x1094A0: main (leaky_c.c:80)
 n1: 5632 0x10922B: history_append (leaky_c.c:38)
  n0: 5632 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 2816 0x1091DE: leak_event (leaky_c.c:32)
  n0: 2816 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=24
#-----------
time=259263
mem_heap_B=294912
mem_heap_extra_B=608
mem_stacks_B=0
heap_tree=detailed
n6: 294912 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 11264 0x109312: cache_put (leaky_c.c:53)
  n0: 11264 0x1094A0: main (leaky_c.c:80)
 n1: 6144 0x10922B: history_append (leaky_c.c:38)
  n0: 6144 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3072 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=25
#-----------
time=263418
mem_heap_B=294912
mem_heap_extra_B=608
mem_stacks_B=0
heap_tree=detailed
n6: 294912 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 11264 0x109312: cache_put (leaky_c.c:53)
  n0: 11264 0x1094A0: main (leaky_c.c:80)
 n1: 6144 0x10922B: history_append (leaky_c.c:38)
  n0: 6144 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3072 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3072 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=26
#-----------
time=263884
mem_heap_B=296704
mem_heap_extra_B=624
mem_stacks_B=0
heap_tree=detailed
n6: 296704 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 12288 0x109312: cache_put (leaky_c.c:53)
  n0: 12288 0x1094A0: main (leaky_c.c:80)
 n1: 6656 0x10922B: history_append (leaky_c.c:38)
  n0: 6656 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3328 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3328 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=27
#-----------
time=268039
mem_heap_B=292608
mem_heap_extra_B=616
mem_stacks_B=0
heap_tree=detailed
n6: 292608 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 12288 0x109312: cache_put (leaky_c.c:53)
  n0: 12288 0x1094A0: main (leaky_c.c:80)
 n1: 6656 0x10922B: history_append (leaky_c.c:38)
  n0: 6656 0x10948C: main (leaky_c.c:78)
 n1: 3328 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3328 0x10947F: main (leaky_c.c:77)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=28
#-----------
time=268505
mem_heap_B=298496
mem_heap_extra_B=640
mem_stacks_B=0
heap_tree=detailed
n6: 298496 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 13312 0x109312: cache_put (leaky_c.c:53)
  n0: 13312 0x1094A0: main (leaky_c.c:80)
 n1: 7168 0x10922B: history_append (leaky_c.c:38)
  n0: 7168 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3584 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3584 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=29
#-----------
time=272660
mem_heap_B=298496
mem_heap_extra_B=640
mem_stacks_B=0
heap_tree=peak
n6: 298496 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 13312 0x109312: cache_put (leaky_c.c:53)
  n0: 13312 0x1094A0: main (leaky_c.c:80)
 n1: 7168 0x10922B: history_append (leaky_c.c:38)
  n0: 7168 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3584 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3584 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=30
#-----------
time=273126
mem_heap_B=300288
mem_heap_extra_B=656
mem_stacks_B=0
heap_tree=detailed
n6: 300288 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 14336 0x109312: cache_put (leaky_c.c:53)
  n0: 14336 0x1094A0: main (leaky_c.c:80)
 n1: 7680 0x10922B: history_append (leaky_c.c:38)
  n0: 7680 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n1: 3840 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3840 0x10947F: main (leaky_c.c:77)
#-----------
snapshot=31
#-----------
time=277281
mem_heap_B=296192
mem_heap_extra_B=648
mem_stacks_B=0
heap_tree=detailed
n6: 296192 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 204800 0x10937A: burst_begin (leaky_c.c:58)
  n0: 204800 0x1094B8: main (leaky_c.c:81)
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 14336 0x109312: cache_put (leaky_c.c:53)
  n0: 14336 0x1094A0: main (leaky_c.c:80)
 n1: 7680 0x10922B: history_append (leaky_c.c:38)
  n0: 7680 0x10948C: main (leaky_c.c:78)
 n1: 3840 0x1091DE: leak_event (leaky_c.c:32)
  n0: 3840 0x10947F: main (leaky_c.c:77)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=32
#-----------
time=279809
mem_heap_B=97280
mem_heap_extra_B=272
mem_stacks_B=0
heap_tree=detailed
n6: 97280 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 15360 0x109312: cache_put (leaky_c.c:53)
  n0: 15360 0x1094A0: main (leaky_c.c:80)
 n1: 8192 0x10922B: history_append (leaky_c.c:38)
  n0: 8192 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4096 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=33
#-----------
time=283964
mem_heap_B=93184
mem_heap_extra_B=264
mem_stacks_B=0
heap_tree=detailed
n5: 93184 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 15360 0x109312: cache_put (leaky_c.c:53)
  n0: 15360 0x1094A0: main (leaky_c.c:80)
 n1: 8192 0x10922B: history_append (leaky_c.c:38)
  n0: 8192 0x10948C: main (leaky_c.c:78)
 n1: 4096 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4096 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=34
#-----------
time=284430
mem_heap_B=99072
mem_heap_extra_B=288
mem_stacks_B=0
heap_tree=detailed
n6: 99072 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8704 0x10922B: history_append (leaky_c.c:38)
  n0: 8704 0x10948C: main (leaky_c.c:78)
 n1: 4352 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4352 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=35
#-----------
time=288585
mem_heap_B=94976
mem_heap_extra_B=280
mem_stacks_B=0
heap_tree=detailed
n5: 94976 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8704 0x10922B: history_append (leaky_c.c:38)
  n0: 8704 0x10948C: main (leaky_c.c:78)
 n1: 4352 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4352 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=36
#-----------
time=289063
mem_heap_B=99840
mem_heap_extra_B=296
mem_stacks_B=0
heap_tree=detailed
n6: 99840 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9216 0x10922B: history_append (leaky_c.c:38)
  n0: 9216 0x10948C: main (leaky_c.c:78)
 n1: 4608 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4608 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=37
#-----------
time=293218
mem_heap_B=95744
mem_heap_extra_B=288
mem_stacks_B=0
heap_tree=detailed
n5: 95744 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9216 0x10922B: history_append (leaky_c.c:38)
  n0: 9216 0x10948C: main (leaky_c.c:78)
 n1: 4608 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4608 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=38
#-----------
time=293696
mem_heap_B=100608
mem_heap_extra_B=304
mem_stacks_B=0
heap_tree=detailed
n6: 100608 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9728 0x10922B: history_append (leaky_c.c:38)
  n0: 9728 0x10948C: main (leaky_c.c:78)
 n1: 4864 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4864 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=39
#-----------
time=297851
mem_heap_B=96512
mem_heap_extra_B=296
mem_stacks_B=0
heap_tree=detailed
n5: 96512 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9728 0x10922B: history_append (leaky_c.c:38)
  n0: 9728 0x10948C: main (leaky_c.c:78)
 n1: 4864 0x1091DE: leak_event (leaky_c.c:32)
  n0: 4864 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=40
#-----------
time=298329
mem_heap_B=101376
mem_heap_extra_B=312
mem_stacks_B=0
heap_tree=detailed
n6: 101376 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10240 0x10922B: history_append (leaky_c.c:38)
  n0: 10240 0x10948C: main (leaky_c.c:78)
 n1: 5120 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5120 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=41
#-----------
time=302484
mem_heap_B=97280
mem_heap_extra_B=304
mem_stacks_B=0
heap_tree=detailed
n5: 97280 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10240 0x10922B: history_append (leaky_c.c:38)
  n0: 10240 0x10948C: main (leaky_c.c:78)
 n1: 5120 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5120 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=42
#-----------
time=302962
mem_heap_B=102144
mem_heap_extra_B=320
mem_stacks_B=0
heap_tree=detailed
n6: 102144 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10752 0x10922B: history_append (leaky_c.c:38)
  n0: 10752 0x10948C: main (leaky_c.c:78)
 n1: 5376 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5376 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=43
#-----------
time=307117
mem_heap_B=98048
mem_heap_extra_B=312
mem_stacks_B=0
heap_tree=detailed
n5: 98048 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10752 0x10922B: history_append (leaky_c.c:38)
  n0: 10752 0x10948C: main (leaky_c.c:78)
 n1: 5376 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5376 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=44
#-----------
time=307595
mem_heap_B=102912
mem_heap_extra_B=328
mem_stacks_B=0
heap_tree=detailed
n6: 102912 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 11264 0x10922B: history_append (leaky_c.c:38)
  n0: 11264 0x10948C: main (leaky_c.c:78)
 n1: 5632 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5632 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=45
#-----------
time=311750
mem_heap_B=98816
mem_heap_extra_B=320
mem_stacks_B=0
heap_tree=detailed
n5: 98816 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 11264 0x10922B: history_append (leaky_c.c:38)
  n0: 11264 0x10948C: main (leaky_c.c:78)
 n1: 5632 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5632 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=46
#-----------
time=312228
mem_heap_B=103680
mem_heap_extra_B=336
mem_stacks_B=0
heap_tree=detailed
n6: 103680 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 11776 0x10922B: history_append (leaky_c.c:38)
  n0: 11776 0x10948C: main (leaky_c.c:78)
 n1: 5888 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5888 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=47
#-----------
time=316383
mem_heap_B=99584
mem_heap_extra_B=328
mem_stacks_B=0
heap_tree=detailed
n5: 99584 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 11776 0x10922B: history_append (leaky_c.c:38)
  n0: 11776 0x10948C: main (leaky_c.c:78)
 n1: 5888 0x1091DE: leak_event (leaky_c.c:32)
  n0: 5888 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=48
#-----------
time=316861
mem_heap_B=104448
mem_heap_extra_B=344
mem_stacks_B=0
heap_tree=detailed
n6: 104448 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 12288 0x10922B: history_append (leaky_c.c:38)
  n0: 12288 0x10948C: main (leaky_c.c:78)
 n1: 6144 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6144 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=49
#-----------
time=321294
mem_heap_B=100608
mem_heap_extra_B=344
mem_stacks_B=0
heap_tree=detailed
n5: 100608 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 12288 0x10922B: history_append (leaky_c.c:38)
  n0: 12288 0x10948C: main (leaky_c.c:78)
 n1: 6400 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6400 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=50
#-----------
time=325649
mem_heap_B=101120
mem_heap_extra_B=344
mem_stacks_B=0
heap_tree=detailed
n5: 101120 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 12800 0x10922B: history_append (leaky_c.c:38)
  n0: 12800 0x10948C: main (leaky_c.c:78)
 n1: 6400 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6400 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=51
#-----------
time=326127
mem_heap_B=105984
mem_heap_extra_B=360
mem_stacks_B=0
heap_tree=detailed
n6: 105984 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 13312 0x10922B: history_append (leaky_c.c:38)
  n0: 13312 0x10948C: main (leaky_c.c:78)
 n1: 6656 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6656 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=52
#-----------
time=330282
mem_heap_B=101888
mem_heap_extra_B=352
mem_stacks_B=0
heap_tree=detailed
n5: 101888 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 13312 0x10922B: history_append (leaky_c.c:38)
  n0: 13312 0x10948C: main (leaky_c.c:78)
 n1: 6656 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6656 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=53
#-----------
time=330760
mem_heap_B=106752
mem_heap_extra_B=368
mem_stacks_B=0
heap_tree=detailed
n6: 106752 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 13824 0x10922B: history_append (leaky_c.c:38)
  n0: 13824 0x10948C: main (leaky_c.c:78)
 n1: 6912 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6912 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=54
#-----------
time=334915
mem_heap_B=102656
mem_heap_extra_B=360
mem_stacks_B=0
heap_tree=detailed
n5: 102656 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 13824 0x10922B: history_append (leaky_c.c:38)
  n0: 13824 0x10948C: main (leaky_c.c:78)
 n1: 6912 0x1091DE: leak_event (leaky_c.c:32)
  n0: 6912 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=55
#-----------
time=335393
mem_heap_B=107520
mem_heap_extra_B=376
mem_stacks_B=0
heap_tree=detailed
n6: 107520 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 14336 0x10922B: history_append (leaky_c.c:38)
  n0: 14336 0x10948C: main (leaky_c.c:78)
 n1: 7168 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7168 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=56
#-----------
time=339548
mem_heap_B=103424
mem_heap_extra_B=368
mem_stacks_B=0
heap_tree=detailed
n5: 103424 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 14336 0x10922B: history_append (leaky_c.c:38)
  n0: 14336 0x10948C: main (leaky_c.c:78)
 n1: 7168 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7168 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=57
#-----------
time=340026
mem_heap_B=108288
mem_heap_extra_B=384
mem_stacks_B=0
heap_tree=detailed
n6: 108288 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 14848 0x10922B: history_append (leaky_c.c:38)
  n0: 14848 0x10948C: main (leaky_c.c:78)
 n1: 7424 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7424 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=58
#-----------
time=344181
mem_heap_B=104192
mem_heap_extra_B=376
mem_stacks_B=0
heap_tree=detailed
n5: 104192 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 14848 0x10922B: history_append (leaky_c.c:38)
  n0: 14848 0x10948C: main (leaky_c.c:78)
 n1: 7424 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7424 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=59
#-----------
time=344659
mem_heap_B=109056
mem_heap_extra_B=392
mem_stacks_B=0
heap_tree=detailed
n6: 109056 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 15360 0x10922B: history_append (leaky_c.c:38)
  n0: 15360 0x10948C: main (leaky_c.c:78)
 n1: 7680 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7680 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=60
#-----------
time=348814
mem_heap_B=104960
mem_heap_extra_B=384
mem_stacks_B=0
heap_tree=detailed
n5: 104960 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 15360 0x10922B: history_append (leaky_c.c:38)
  n0: 15360 0x10948C: main (leaky_c.c:78)
 n1: 7680 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7680 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=61
#-----------
time=349292
mem_heap_B=109824
mem_heap_extra_B=400
mem_stacks_B=0
heap_tree=detailed
n6: 109824 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 15872 0x10922B: history_append (leaky_c.c:38)
  n0: 15872 0x10948C: main (leaky_c.c:78)
 n1: 7936 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7936 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=62
#-----------
time=353447
mem_heap_B=105728
mem_heap_extra_B=392
mem_stacks_B=0
heap_tree=detailed
n5: 105728 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 15872 0x10922B: history_append (leaky_c.c:38)
  n0: 15872 0x10948C: main (leaky_c.c:78)
 n1: 7936 0x1091DE: leak_event (leaky_c.c:32)
  n0: 7936 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=63
#-----------
time=353925
mem_heap_B=110592
mem_heap_extra_B=408
mem_stacks_B=0
heap_tree=detailed
n6: 110592 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x10922B: history_append (leaky_c.c:38)
  n0: 16384 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8192 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8192 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=64
#-----------
time=358080
mem_heap_B=106496
mem_heap_extra_B=400
mem_stacks_B=0
heap_tree=detailed
n5: 106496 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16384 0x10922B: history_append (leaky_c.c:38)
  n0: 16384 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8192 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8192 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=65
#-----------
time=358558
mem_heap_B=111360
mem_heap_extra_B=416
mem_stacks_B=0
heap_tree=detailed
n6: 111360 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16896 0x10922B: history_append (leaky_c.c:38)
  n0: 16896 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8448 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8448 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=66
#-----------
time=362713
mem_heap_B=107264
mem_heap_extra_B=408
mem_stacks_B=0
heap_tree=detailed
n5: 107264 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 16896 0x10922B: history_append (leaky_c.c:38)
  n0: 16896 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8448 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8448 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=67
#-----------
time=363191
mem_heap_B=112128
mem_heap_extra_B=424
mem_stacks_B=0
heap_tree=detailed
n6: 112128 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 17408 0x10922B: history_append (leaky_c.c:38)
  n0: 17408 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8704 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8704 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=68
#-----------
time=367346
mem_heap_B=108032
mem_heap_extra_B=416
mem_stacks_B=0
heap_tree=detailed
n5: 108032 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 17408 0x10922B: history_append (leaky_c.c:38)
  n0: 17408 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8704 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8704 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=69
#-----------
time=367824
mem_heap_B=112896
mem_heap_extra_B=432
mem_stacks_B=0
heap_tree=detailed
n6: 112896 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 17920 0x10922B: history_append (leaky_c.c:38)
  n0: 17920 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8960 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8960 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=70
#-----------
time=371979
mem_heap_B=108800
mem_heap_extra_B=424
mem_stacks_B=0
heap_tree=detailed
n5: 108800 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 17920 0x10922B: history_append (leaky_c.c:38)
  n0: 17920 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 8960 0x1091DE: leak_event (leaky_c.c:32)
  n0: 8960 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=71
#-----------
time=372457
mem_heap_B=113664
mem_heap_extra_B=440
mem_stacks_B=0
heap_tree=detailed
n6: 113664 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 18432 0x10922B: history_append (leaky_c.c:38)
  n0: 18432 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9216 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9216 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=72
#-----------
time=376612
mem_heap_B=109568
mem_heap_extra_B=432
mem_stacks_B=0
heap_tree=detailed
n5: 109568 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 18432 0x10922B: history_append (leaky_c.c:38)
  n0: 18432 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9216 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9216 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=73
#-----------
time=377090
mem_heap_B=114432
mem_heap_extra_B=448
mem_stacks_B=0
heap_tree=detailed
n6: 114432 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 18944 0x10922B: history_append (leaky_c.c:38)
  n0: 18944 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9472 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9472 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=74
#-----------
time=381245
mem_heap_B=110336
mem_heap_extra_B=440
mem_stacks_B=0
heap_tree=detailed
n5: 110336 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 18944 0x10922B: history_append (leaky_c.c:38)
  n0: 18944 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9472 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9472 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=75
#-----------
time=381723
mem_heap_B=115200
mem_heap_extra_B=456
mem_stacks_B=0
heap_tree=detailed
n6: 115200 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 19456 0x10922B: history_append (leaky_c.c:38)
  n0: 19456 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9728 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9728 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=76
#-----------
time=385878
mem_heap_B=111104
mem_heap_extra_B=448
mem_stacks_B=0
heap_tree=detailed
n5: 111104 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 19456 0x10922B: history_append (leaky_c.c:38)
  n0: 19456 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9728 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9728 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=77
#-----------
time=386356
mem_heap_B=115968
mem_heap_extra_B=464
mem_stacks_B=0
heap_tree=detailed
n6: 115968 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 19968 0x10922B: history_append (leaky_c.c:38)
  n0: 19968 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9984 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9984 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=78
#-----------
time=390511
mem_heap_B=111872
mem_heap_extra_B=456
mem_stacks_B=0
heap_tree=detailed
n5: 111872 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 19968 0x10922B: history_append (leaky_c.c:38)
  n0: 19968 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 9984 0x1091DE: leak_event (leaky_c.c:32)
  n0: 9984 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
#-----------
snapshot=79
#-----------
time=390989
mem_heap_B=116736
mem_heap_extra_B=472
mem_stacks_B=0
heap_tree=detailed
n6: 116736 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 20480 0x10922B: history_append (leaky_c.c:38)
  n0: 20480 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10240 0x1091DE: leak_event (leaky_c.c:32)
  n0: 10240 0x10947F: main (leaky_c.c:77)
 n1: 4096 0x10929F: churn (leaky_c.c:45)
  n0: 4096 0x109496: main (leaky_c.c:79)
 n0: 0 in 1 place, below massif's threshold (1.00%)
#-----------
snapshot=80
#-----------
time=395144
mem_heap_B=112640
mem_heap_extra_B=464
mem_stacks_B=0
heap_tree=detailed
n5: 112640 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 65536 0x1091A6: load_config (leaky_c.c:27)
  n0: 65536 0x10946C: main (leaky_c.c:75)
 n1: 20480 0x10922B: history_append (leaky_c.c:38)
  n0: 20480 0x10948C: main (leaky_c.c:78)
 n1: 16384 0x109312: cache_put (leaky_c.c:53)
  n0: 16384 0x1094A0: main (leaky_c.c:80)
 n1: 10240 0x1091DE: leak_event (leaky_c.c:32)
  n0: 10240 0x10947F: main (leaky_c.c:77)
 n0: 0 in 2 places, all below massif's threshold (1.00%)
