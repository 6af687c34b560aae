module memleaktest

go 1.19
